package dev.thinj.train.data.numpy;

import dev.thinj.train.data.DataException;
import dev.thinj.train.data.DataFiles;
import dev.thinj.train.data.GrowingFloats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a whole {@code .npy} array (as {@code numpy.save} writes it) into float32, C order:
 * Fortran-ordered data is transposed, whatever its rank. Memory grows with the bytes actually
 * there, never with what a header claims: a header promising more data than the file holds is
 * refused before anything is allocated.
 */
public final class NpyReader {
    /** Bytes decoded per read. */
    private static final int CHUNK = 1 << 16;

    private NpyReader() {
    }

    /**
     * @param file a {@code .npy} file
     * @return its array
     * @throws DataException if the file is missing, not a {@code .npy}, of an unsupported dtype,
     *     truncated, or longer than its header says
     */
    public static NpyArray read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1;
        }
        try (InputStream in = DataFiles.openRaw(file)) {
            return read(in, file.toString(), size);
        } catch (IOException e) {
            throw new DataException(file + ": cannot close: " + e.getMessage(), e);
        }
    }

    /**
     * @param in the array's bytes from the magic on (not closed here)
     * @param source what to call it in messages
     * @param size the number of bytes the stream holds for sure (a file's size), or -1 if unknown
     *     (a zip entry, whose stated size may lie): then memory grows as data is read, rather than
     *     as the header claims
     * @return the array
     * @throws DataException if it is not a {@code .npy}, of an unsupported dtype, truncated, or
     *     longer than its header says
     */
    public static NpyArray read(InputStream in, String source, long size) {
        NpyHeader h = NpyHeader.read(in, source);
        long expected = h.dataBytes(source);
        if (size >= 0 && size - h.dataOffset() < expected) {
            throw truncated(source, h, Math.max(0, size - h.dataOffset()));
        }
        int n = h.elements(source);
        int itemSize = h.dtype().size();
        byte[] chunk = new byte[CHUNK - CHUNK % 8];
        // Known size: the data is there, so allocate it at once. Unknown: grow with what is read.
        float[] values = size >= 0 ? new float[n] : null;
        GrowingFloats grown = size >= 0 ? null : new GrowingFloats(Math.min(n, CHUNK));
        float[] decoded = size >= 0 ? null : new float[chunk.length / itemSize];
        int done = 0;
        try {
            while (done < n) {
                int count = Math.min(n - done, chunk.length / itemSize);
                int got = in.readNBytes(chunk, 0, count * itemSize);
                if (got < count * itemSize) {
                    throw truncated(source, h, (long) done * itemSize + got);
                }
                if (values != null) {
                    h.dtype().decode(ByteBuffer.wrap(chunk, 0, got), values, done, count);
                } else {
                    h.dtype().decode(ByteBuffer.wrap(chunk, 0, got), decoded, 0, count);
                    grown.append(decoded, 0, count, source);
                }
                done += count;
            }
            if (in.read() != -1) {
                throw new DataException(source + ": the file goes on after the " + expected
                        + " data bytes its header describes (" + h.shapeText() + " " + h.dtype().name() + ")");
            }
        } catch (IOException e) {
            throw new DataException(source + ": unreadable .npy data after " + (long) done * itemSize + " bytes: "
                    + e.getMessage(), e);
        }
        if (values == null) {
            values = grown.toArray();
        }
        return new NpyArray(source, h, h.fortranOrder() ? FortranOrder.toC(values, h.shape()) : values);
    }

    static DataException truncated(String source, NpyHeader h, long have) {
        return new DataException(source + ": truncated: shape " + h.shapeText() + " " + h.dtype().name() + " needs "
                + h.dataBytes(source) + " data bytes, the file holds " + have);
    }
}
