package dev.thinj.ops.cuda.model;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the per-parameter Adam state out of a file written by {@code OptimizerState.save} (its
 * documented format v1), for the bounds of the next update: the update count and both moments.
 */
final class MomentsFile {
    private MomentsFile() {
    }

    /**
     * One parameter's state.
     *
     * @param count updates so far
     * @param m first moments, or null
     * @param v second moments, or null
     */
    record Entry(int count, float[] m, float[] v) {
    }

    /**
     * @param path the file
     * @return entries by {@code "nodeIndex:paramName"}
     */
    static Map<String, Entry> read(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        byte[] magic = "THINJOPT".getBytes(StandardCharsets.US_ASCII);
        if (!Arrays.equals(Arrays.copyOf(bytes, magic.length), magic)) {
            throw new IOException(path + ": not an optimizer state file");
        }
        Map<String, Entry> out = new HashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, magic.length,
                bytes.length - magic.length - 8))) {
            int version = in.readInt();
            if (version != 1) {
                throw new IOException(path + ": optimizer state format v" + version + ", this reader knows v1");
            }
            in.readLong();  // step
            if (in.readBoolean()) {
                in.readLong();
                in.readDouble();
            }
            int entries = in.readInt();
            for (int e = 0; e < entries; e++) {
                int node = in.readInt();
                String name = in.readUTF();
                int count = in.readInt();
                float[] m = array(in);
                float[] v = array(in);
                array(in);  // the parameter average
                out.put(node + ":" + name, new Entry(count, m, v));
            }
        }
        return out;
    }

    private static float[] array(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        int rank = in.readInt();
        int size = 1;
        for (int r = 0; r < rank; r++) {
            size = Math.multiplyExact(size, in.readInt());
        }
        byte[] raw = new byte[size * 4];
        in.readFully(raw);
        float[] values = new float[size];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
