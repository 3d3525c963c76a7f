package dev.thinj.train.data.numpy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.train.data.DataException;
import dev.thinj.train.data.FeatureRows;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streamed .npy rows equal the whole-file reader's, for every fixture, order and block size. */
class NpyFeatureRowsTest {
    @TempDir
    Path dir;

    static float[] all(FeatureRows rows, int block) {
        float[] out = new float[0];
        float[] buffer = new float[block * rows.width()];
        int n;
        while ((n = rows.read(buffer, block)) > 0) {
            int at = out.length;
            out = Arrays.copyOf(out, at + n * rows.width());
            System.arraycopy(buffer, 0, out, at, n * rows.width());
        }
        return out;
    }

    @Test
    void streamedRowsEqualTheWholeArrayForEveryFixture() {
        for (String name : List.of("f32.npy", "f64_big_endian.npy", "u8_3d.npy", "i64_labels.npy", "fortran_2d.npy",
                "fortran_3d.npy", "f32_v2.npy", "f32_v3.npy", "i16_big_endian.npy", "bools.npy", "regress_y.npy")) {
            Path file = NumpyFixturesTest.fixture(name);
            NpyArray whole = NpyReader.read(file);
            for (int block : new int[] {1, 2, 5}) {
                try (FeatureRows rows = FeatureRows.open(file, null)) {
                    assertThat(rows).isInstanceOf(NpyFeatureRows.class);
                    assertThat(rows.width()).as(name).isEqualTo(whole.width());
                    assertThat(all(rows, block)).as(name + " in blocks of " + block).containsExactly(whole.values());
                }
            }
        }
    }

    @Test
    void largeFortranAndCArraysStreamInAnyBlocks() throws IOException {
        Random r = new Random(5);
        int rows = 257;
        long[] shape = {rows, 3, 5, 2};
        float[] c = new float[rows * 30];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextInt(1 << 20) - (1 << 19);
        }
        // The same values laid out in Fortran order: element (i, a, b, d) at i + rows * (a + 3 * (b + 5 * d)).
        float[] f = new float[c.length];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 5; b++) {
                    for (int d = 0; d < 2; d++) {
                        f[i + rows * (a + 3 * (b + 5 * d))] = c[i * 30 + a * 10 + b * 2 + d];
                    }
                }
            }
        }
        Path cFile = write("c.npy", false, c, shape);
        Path fFile = write("f.npy", true, f, shape);
        assertThat(NpyReader.read(fFile).values()).containsExactly(c);
        for (int block : new int[] {1, 16, 256, 257, 1000}) {
            for (Path p : List.of(cFile, fFile)) {
                try (FeatureRows s = FeatureRows.open(p, null)) {
                    assertThat(all(s, block)).as(p + " in blocks of " + block).containsExactly(c);
                }
            }
        }
    }

    private Path write(String name, boolean fortran, float[] values, long[] shape) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            data.putFloat(v);
        }
        StringBuilder s = new StringBuilder("(");
        for (long d : shape) {
            s.append(d).append(", ");
        }
        String dict = "{'descr': '<f4', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + s + "), }";
        return Files.write(dir.resolve(name), NpyHeaderTest.npy(1, dict, data.array()));
    }

    @Test
    void sizeDisagreeingWithTheHeaderIsRefusedAtOpen() throws IOException {
        byte[] good = Files.readAllBytes(NumpyFixturesTest.fixture("f32.npy"));
        Path cut = Files.write(dir.resolve("cut.npy"), Arrays.copyOf(good, good.length - 4));
        assertThatThrownBy(() -> FeatureRows.open(cut, null)).isInstanceOf(DataException.class)
                .hasMessage(cut + ": truncated: shape (3, 4) float32 needs 48 data bytes, the file holds 44");
        Path longer = Files.write(dir.resolve("long.npy"), Arrays.copyOf(good, good.length + 4));
        assertThatThrownBy(() -> FeatureRows.open(longer, null)).isInstanceOf(DataException.class)
                .hasMessageContaining("goes on after the 48 data bytes");
        Path gz = dir.resolve("x.npy.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(good);
        }
        assertThatThrownBy(() -> FeatureRows.open(gz, null)).isInstanceOf(DataException.class)
                .hasMessageContaining("a gzipped .npy; gunzip it first");
        assertThatThrownBy(() -> FeatureRows.open(NumpyFixturesTest.fixture("object.npy"), null))
                .isInstanceOf(DataException.class).hasMessageContaining("an object array");
    }

    @Test
    void theModelWidthIsCheckedAtOpen() {
        Path f = NumpyFixturesTest.fixture("f32.npy");
        assertThatThrownBy(() -> FeatureRows.open(f, null, 5)).isInstanceOf(DataException.class)
                .hasMessage(f + ": 4 features per row, but the model takes 5");
        try (FeatureRows rows = FeatureRows.open(f, null, 4)) {
            assertThat(rows.width()).isEqualTo(4);
        }
    }
}
