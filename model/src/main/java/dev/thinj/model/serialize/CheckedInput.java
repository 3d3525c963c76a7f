package dev.thinj.model.serialize;

import dev.thinj.ops.Shapes;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads thinj's binary files ({@link ModelFile}, the optimizer state): the whole file, if it fits in
 * one array, then its big-endian fields from memory. Every count and length read from the file is
 * checked against the bytes that remain before anything is allocated, so a corrupt or hostile file
 * fails with a {@link ModelFileException} naming the file, the byte offset and the field, never with
 * an {@code OutOfMemoryError} or an index error.
 */
public final class CheckedInput {
    private final ByteBuffer buf;
    private final String source;

    /**
     * @param bytes the file's bytes (not modified)
     * @param from the offset of the first byte to read
     * @param to the offset after the last byte to read (before a trailing checksum, say)
     * @param source the file's name, for errors
     */
    public CheckedInput(byte[] bytes, int from, int to, String source) {
        this.buf = ByteBuffer.wrap(bytes, from, to - from).order(ByteOrder.BIG_ENDIAN);
        this.source = source;
    }

    /** The largest file read into memory: the largest Java array. */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    /**
     * Reads a whole file, after checking that it fits in memory as one array.
     *
     * @param path the file
     * @param kind what it should be, for errors, such as {@code "model file"}
     * @return its bytes
     * @throws ModelFileException naming the file if it is missing, unreadable or larger than 2 GiB
     */
    public static byte[] readFile(Path path, String kind) {
        try {
            long size = Files.size(path);
            if (size > MAX_FILE_BYTES) {
                throw new ModelFileException(path + " holds " + size + " bytes, more than a " + kind
                        + " can (2 GiB): is it the right file?");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + " " + path
                    + " does not exist");
        } catch (IOException e) {
            throw new ModelFileException("Cannot read " + kind + " " + path + ": " + e.getMessage(), e);
        }
    }

    /** @return the number of bytes left to read */
    public int remaining() {
        return buf.remaining();
    }

    /**
     * @param what the field, for errors
     * @return the next int32
     */
    public int readInt(String what) {
        need(4, what);
        return buf.getInt();
    }

    /**
     * @param what the field, for errors
     * @return the next int64
     */
    public long readLong(String what) {
        need(8, what);
        return buf.getLong();
    }

    /**
     * @param what the field, for errors
     * @return the next byte
     */
    public byte readByte(String what) {
        need(1, what);
        return buf.get();
    }

    /**
     * @param what the field, for errors
     * @return the next byte as a boolean
     * @throws ModelFileException if the byte is neither 0 nor 1 (the writers write nothing else)
     */
    public boolean readBoolean(String what) {
        int at = buf.position();
        byte b = readByte(what);
        if (b != 0 && b != 1) {
            throw corrupt(at, what + " is the byte " + b + ", expected 0 or 1");
        }
        return b == 1;
    }

    /**
     * @param what the field, for errors
     * @return the next float32, big-endian
     */
    public float readFloat(String what) {
        need(4, what);
        return buf.getFloat();
    }

    /**
     * @param what the field, for errors
     * @return the next float64, big-endian
     */
    public double readDouble(String what) {
        need(8, what);
        return buf.getDouble();
    }

    /**
     * Reads a string as {@link java.io.DataOutputStream#writeUTF} wrote it: an unsigned 16-bit length,
     * then modified UTF-8.
     *
     * @param what the field, for errors
     * @return the string
     */
    public String readUtf(String what) {
        int at = buf.position();
        need(2, what);
        int length = buf.getShort() & 0xffff;
        need(length, what + " (" + length + " bytes of text)");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(buf.array(), at, 2 + length))) {
            String s = in.readUTF();
            buf.position(at + 2 + length);
            return s;
        } catch (IOException e) {
            // Only UTFDataFormatException can happen: the bytes are all there.
            throw corrupt(at, what + " is not valid text (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads a count of entries and checks that the bytes left could hold that many.
     *
     * @param what the entries, for errors, such as {@code "parameter count"}
     * @param minBytesEach the fewest bytes one entry takes
     * @return the count, at least 0
     */
    public int readCount(String what, int minBytesEach) {
        int at = buf.position();
        int n = readInt(what);
        if (n < 0) {
            throw corrupt(at, what + " is negative (" + n + ")");
        }
        if ((long) n * minBytesEach > buf.remaining()) {
            throw corrupt(at, what + " is " + n + ", but only " + buf.remaining() + " bytes remain to hold them");
        }
        return n;
    }

    /**
     * Reads an array's rank and dimensions, as the writers write them: int32 rank, then one int32 per
     * dimension.
     *
     * @param what the array, for errors
     * @return the shape: rank 1 to {@link Shapes#MAX_RANK}, no negative dimension, fewer than 2^31 elements
     */
    public int[] readShape(String what) {
        int at = buf.position();
        int rank = readInt(what + " rank");
        if (rank < 1 || rank > Shapes.MAX_RANK) {
            throw corrupt(at, what + " has an invalid rank " + rank + " (expected 1 to " + Shapes.MAX_RANK + ")");
        }
        int[] shape = new int[rank];
        long size = 1;
        for (int r = 0; r < rank; r++) {
            shape[r] = readInt(what + " dimension " + r);
            if (shape[r] < 0) {
                throw corrupt(at, what + " has a negative dimension " + shape[r]);
            }
            size *= shape[r];
            if (size > Integer.MAX_VALUE - 8) {
                throw corrupt(at, what + " has more than 2^31 elements");
            }
        }
        return shape;
    }

    /**
     * Reads float32 values written little-endian, as the raw array; checks first that they are there.
     *
     * @param count how many
     * @param what the array, for errors
     * @return the values, a new array
     */
    public float[] readFloatsLittleEndian(int count, String what) {
        need(4L * count, what + " (" + count + " float32 values)");
        float[] values = new float[count];
        buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        buf.position(buf.position() + 4 * count);
        return values;
    }

    /**
     * @param what what the file should end with, for errors
     * @throws ModelFileException if bytes remain: the file holds more than its counts say
     */
    public void expectEnd(String what) {
        if (buf.hasRemaining()) {
            throw corrupt(buf.position(), buf.remaining() + " unexpected bytes after " + what);
        }
    }

    /**
     * @param problem what is wrong at the current position
     * @return an error naming the file and the offset
     */
    public ModelFileException error(String problem) {
        return corrupt(buf.position(), problem);
    }

    private void need(long n, String what) {
        if (n > buf.remaining()) {
            throw corrupt(buf.position(), what + " needs " + n + " bytes, but only " + buf.remaining() + " remain");
        }
    }

    private ModelFileException corrupt(int offset, String problem) {
        return new ModelFileException(source + " is corrupt at byte " + offset + ": " + problem);
    }
}
