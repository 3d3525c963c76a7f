package dev.thinj.train.data.numpy;

import dev.thinj.train.data.DataException;
import dev.thinj.train.data.GrowingFloats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The header of a {@code .npy} file (NumPy format versions 1.0, 2.0 and 3.0): the magic
 * {@code \x93NUMPY}, the version, the header's length (2 bytes in 1.0, 4 after), and a Python dict
 * literal with {@code descr}, {@code fortran_order} and {@code shape}, padded so the data that
 * follows is aligned.
 *
 * @param dtype the element type
 * @param fortranOrder whether the data is in column-major order
 * @param shape the dimensions, first axis first
 * @param dataOffset the byte offset of the data in the file
 */
public record NpyHeader(NpyDtype dtype, boolean fortranOrder, long[] shape, long dataOffset) {
    /** The first six bytes of every {@code .npy} file. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** The longest header read: NumPy's own are under a kilobyte; a larger one is surely not a header. */
    static final int MAX_HEADER = 1 << 20;

    /**
     * Reads a header, leaving the stream at the first data byte.
     *
     * @param in the stream, at the file's first byte
     * @param source the file, for messages
     * @return the header
     * @throws DataException if this is not a {@code .npy} file, or its header is malformed or
     *     describes an array this reader does not take
     */
    public static NpyHeader read(InputStream in, String source) {
        byte[] start = bytes(in, 8, source, "magic and version");
        if (!Arrays.equals(Arrays.copyOf(start, 6), MAGIC)) {
            throw new DataException(source + ": not a .npy file (it does not start with \\x93NUMPY)");
        }
        int major = start[6] & 0xff;
        int minor = start[7] & 0xff;
        if (major < 1 || major > 3) {
            throw new DataException(source + ": .npy format version " + major + "." + minor
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] len = bytes(in, lengthBytes, source, "header length");
        long headerLength = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            headerLength = headerLength << 8 | (len[i] & 0xff);
        }
        if (headerLength > MAX_HEADER) {
            throw new DataException(source + ": implausible .npy header length " + headerLength + " bytes");
        }
        byte[] header = bytes(in, (int) headerLength, source, "header");
        String text = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parse(text, source, 8 + lengthBytes + headerLength);
    }

    /**
     * @param text the header's dict literal
     * @param source the file, for messages
     * @param dataOffset where the data starts
     * @return the header
     * @throws DataException if the dict is malformed or describes an unsupported array
     */
    static NpyHeader parse(String text, String source, long dataOffset) {
        Map<String, Object> dict;
        try {
            dict = PyLiteral.dict(text);
        } catch (IllegalArgumentException e) {
            throw new DataException(source + ": malformed .npy header: " + e.getMessage(), e);
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) {
                throw new DataException(source + ": the .npy header lacks '" + key + "': " + text.strip());
            }
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new DataException(source + ": structured dtype " + dict.get("descr") + " is not supported (save "
                    + "a plain numeric array; supported: " + NpyDtype.SUPPORTED + ")");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new DataException(source + ": 'fortran_order' is not True or False: " + text.strip());
        }
        if (!(dict.get("shape") instanceof List<?> dims)) {
            throw new DataException(source + ": 'shape' is not a tuple: " + text.strip());
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0) {
                throw new DataException(source + ": 'shape' holds " + dims.get(i) + ", not a size: " + text.strip());
            }
            shape[i] = d;
        }
        NpyHeader h = new NpyHeader(NpyDtype.parse(descr, source), fortran, shape, dataOffset);
        h.dataBytes(source);
        return h;
    }

    /** @return the number of rows: the first axis (1 for a scalar) */
    public long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** @return the values per row: the product of every axis after the first (1 for one axis) */
    public long width() {
        long w = 1;
        for (int i = 1; i < shape.length; i++) {
            w *= shape[i];
        }
        return w;
    }

    /**
     * @param source the file, for the message
     * @return the number of elements, when they fit one Java array
     * @throws DataException if they would not
     */
    public int elements(String source) {
        long n = dataBytes(source) / dtype.size();
        if (n > GrowingFloats.MAX_VALUES) {
            throw new DataException(source + ": shape " + shapeText() + " holds more than " + GrowingFloats.MAX_VALUES
                    + " values, too many to read whole into one array");
        }
        return (int) n;
    }

    /**
     * @param source the file, for the message
     * @return the data's size in bytes
     * @throws DataException if it is beyond 2^63 (a corrupt shape)
     */
    public long dataBytes(String source) {
        try {
            long n = dtype.size();
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        } catch (ArithmeticException e) {
            throw new DataException(source + ": implausible shape " + shapeText() + " (beyond 2^63 bytes)", e);
        }
    }

    /** @return the shape as Python writes it, such as {@code (60000, 28, 28)} */
    public String shapeText() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static byte[] bytes(InputStream in, int n, String source, String what) {
        byte[] b;
        try {
            b = in.readNBytes(n);
        } catch (IOException e) {
            throw new DataException(source + ": unreadable .npy " + what + ": " + e.getMessage(), e);
        }
        if (b.length < n) {
            throw new DataException(b.length == 0 && what.startsWith("magic") ? source + ": empty file, not a .npy"
                    : source + ": truncated .npy " + what + " (" + b.length + " of " + n + " bytes)");
        }
        return b;
    }
}
