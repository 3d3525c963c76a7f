package dev.thinj.train.data.numpy;

import dev.thinj.train.data.DataException;
import dev.thinj.train.data.FeatureRows;
import dev.thinj.train.data.Rows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@code .npy} file's rows streamed for {@code thinj predict} by positional reads, so a file of
 * any size is read in the memory of the caller's buffer. A C-ordered file is read row block by row
 * block; a Fortran-ordered one column by column within each block of rows (its columns are
 * contiguous), which gives the same rows.
 */
public final class NpyFeatureRows implements FeatureRows {
    /** The most bytes read at once from a C-ordered file. */
    private static final int CHUNK = 1 << 20;

    private final String source;
    private final FileChannel channel;
    private final NpyHeader header;
    private final long rows;
    private final int width;
    private final int[] columns;
    private long done;
    private ByteBuffer bytes = ByteBuffer.allocate(0);
    private float[] column = new float[0];

    private NpyFeatureRows(String source, FileChannel channel, NpyHeader header, int width) {
        this.source = source;
        this.channel = channel;
        this.header = header;
        this.rows = header.rows();
        this.width = width;
        this.columns = header.fortranOrder() && header.shape().length > 1 ? FortranOrder.columns(header.shape()) : null;
    }

    /**
     * @param file a {@code .npy} file (not gzipped: rows are read by position)
     * @return its rows, open before the first
     * @throws DataException if the file is missing, not a {@code .npy}, of an unsupported dtype,
     *     or its size disagrees with its header
     */
    public static NpyFeatureRows open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot open: " + e.getMessage(), e);
        }
        try {
            ByteBuffer magic = ByteBuffer.allocate(2);
            channel.read(magic, 0);
            if (magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b) {
                throw new DataException(file + ": a gzipped .npy; gunzip it first (its rows are read by position)");
            }
            // Not closed: closing the stream would close the channel, which the rows read from.
            InputStream in = Channels.newInputStream(channel.position(0));
            NpyHeader h = NpyHeader.read(in, file.toString());
            if (h.shape().length == 0) {
                throw new DataException(file + ": a scalar, not an array of rows");
            }
            long expected = h.dataBytes(file.toString());
            long size = channel.size() - h.dataOffset();
            if (size < expected) {
                throw NpyReader.truncated(file.toString(), h, Math.max(0, size));
            }
            if (size > expected) {
                throw new DataException(file + ": the file goes on after the " + expected
                        + " data bytes its header describes (" + h.shapeText() + " " + h.dtype().name() + ")");
            }
            if (h.width() > Integer.MAX_VALUE - 16) {
                throw new DataException(file + ": rows of " + h.width() + " values are too wide for one array");
            }
            return new NpyFeatureRows(file.toString(), channel, h, (int) h.width());
        } catch (IOException e) {
            close(channel, file.toString());
            throw new DataException(file + ": unreadable: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(channel, file.toString());
            throw e;
        }
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public String source() {
        return source;
    }

    /** @return the header (dtype and shape) */
    public NpyHeader header() {
        return header;
    }

    @Override
    public int read(float[] buffer, int maxRows) {
        Rows.checkBuffer(buffer, maxRows, width);
        int n = (int) Math.min(maxRows, rows - done);
        if (n == 0) {
            return 0;
        }
        if (columns == null) {
            readRows(buffer, n);
        } else {
            readColumns(buffer, n);
        }
        done += n;
        return n;
    }

    /** C order: the block's values are contiguous. */
    private void readRows(float[] buffer, int n) {
        int item = header.dtype().size();
        long values = (long) n * width;
        long from = header.dataOffset() + done * width * item;
        int perChunk = Math.max(1, CHUNK / item);
        for (long at = 0; at < values; at += perChunk) {
            int count = (int) Math.min(perChunk, values - at);
            fill(from + at * item, count * item);
            header.dtype().decode(bytes, buffer, (int) at, count);
        }
    }

    /** Fortran order: each column's values for the block are contiguous; scatter them into rows. */
    private void readColumns(float[] buffer, int n) {
        int item = header.dtype().size();
        if (column.length < n) {
            column = new float[n];
        }
        for (int f = 0; f < width; f++) {
            fill(header.dataOffset() + ((long) columns[f] * rows + done) * item, n * item);
            header.dtype().decode(bytes, column, 0, n);
            for (int i = 0; i < n; i++) {
                buffer[i * width + f] = column[i];
            }
        }
    }

    /** Reads {@code length} bytes at {@code position} into {@link #bytes}, ready to decode. */
    private void fill(long position, int length) {
        if (bytes.capacity() < length) {
            bytes = ByteBuffer.allocate(length);
        }
        bytes.clear().limit(length);
        try {
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, position + bytes.position()) < 0) {
                    throw new DataException(source + ": truncated at byte " + (position + bytes.position())
                            + " (the file shrank while being read)");
                }
            }
        } catch (IOException e) {
            throw new DataException(source + ": unreadable at row " + done + ": " + e.getMessage(), e);
        }
        bytes.flip();
    }

    @Override
    public void close() {
        close(channel, source);
    }

    private static void close(FileChannel channel, String source) {
        try {
            channel.close();
        } catch (IOException e) {
            throw new DataException(source + ": cannot close: " + e.getMessage(), e);
        }
    }
}
