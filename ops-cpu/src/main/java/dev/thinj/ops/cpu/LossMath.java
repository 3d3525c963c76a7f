package dev.thinj.ops.cpu;

/** Row-wise arithmetic of Thinc's losses on heap arrays. */
final class LossMath {
    /** Thinc adds this to both inputs of the cosine so that zero vectors have a direction. */
    private static final double COSINE_OFFSET = 1e-8;

    private LossMath() {
    }

    /**
     * Writes the cosine-distance gradient for rows {@code [rowFrom, rowTo)} and returns their summed
     * loss {@code |cos - 1|}, both already multiplied by {@code scale}.
     */
    static double cosine(float[] g, float[] t, float[] grad, int n, boolean ignoreZeros, float scale, int rowFrom,
            int rowTo) {
        double loss = 0;
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * n;
            double nyh = 0;
            double ny = 0;
            double dot = 0;
            double absT = 0;
            for (int j = 0; j < n; j++) {
                double yh = g[o + j] + COSINE_OFFSET;
                double y = t[o + j] + COSINE_OFFSET;
                nyh += yh * yh;
                ny += y * y;
                dot += yh * y;
                absT += Math.abs(t[o + j]);
            }
            boolean skip = ignoreZeros && absT == 0;
            nyh = Math.sqrt(nyh);
            ny = Math.sqrt(ny);
            double mul = nyh * ny;
            double cos = dot / mul;
            for (int j = 0; j < n; j++) {
                if (skip) {
                    grad[o + j] = 0f;
                } else {
                    double yh = g[o + j] + COSINE_OFFSET;
                    double y = t[o + j] + COSINE_OFFSET;
                    double d = y / mul - cos * (yh / (nyh * nyh));
                    grad[o + j] = (float) (-d * scale);
                }
            }
            if (!skip) {
                loss += Math.abs(cos - 1) * scale;
            }
        }
        return loss;
    }
}
