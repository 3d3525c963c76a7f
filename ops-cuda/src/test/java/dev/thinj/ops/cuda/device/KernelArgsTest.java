package dev.thinj.ops.cuda.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The argument slots' layout, which must be exactly what cuLaunchKernel reads. */
class KernelArgsTest {
    @Test
    void eachParameterTakesOneEightByteSlot() {
        KernelArgs args = new KernelArgs().ptr(0x1234_5678_9abcL).i32(-5).f32(1.5f).i64(-(1L << 40)).f64(0.25);
        assertThat(args.count()).isEqualTo(5);
        ByteBuffer s = args.slots();
        assertThat(s.isDirect()).isTrue();
        assertThat(s.order()).isEqualTo(ByteOrder.nativeOrder());
        assertThat(s.getLong(0)).isEqualTo(0x1234_5678_9abcL);
        assertThat(s.getInt(8)).isEqualTo(-5);
        assertThat(s.getFloat(16)).isEqualTo(1.5f);
        assertThat(s.getLong(24)).isEqualTo(-(1L << 40));
        assertThat(s.getDouble(32)).isEqualTo(0.25);
    }

    @Test
    void fourByteValuesLieInTheLowBytesWithTheHighBytesCleared() {
        KernelArgs args = new KernelArgs();
        args.i64(-1L).f64(Double.NaN);  // leave garbage in both slots
        args.reset().i32(7).f32(-2f);
        ByteBuffer s = args.slots();
        assertThat(s.getLong(0)).isEqualTo(7L);
        assertThat(s.getInt(8 + 4)).isZero();
        assertThat(s.getFloat(8)).isEqualTo(-2f);
        // Low bytes first on the little-endian hosts CUDA runs on: reading 4 bytes at the slot's start works.
        assertThat(s.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void resetEmptiesTheList() {
        KernelArgs args = new KernelArgs().i32(1).i32(2);
        assertThat(args.reset().count()).isZero();
        assertThat(args.i32(3).count()).isEqualTo(1);
        assertThat(args.slots().getInt(0)).isEqualTo(3);
    }

    @Test
    void moreThanMaxArgsIsRefused() {
        KernelArgs args = new KernelArgs();
        for (int i = 0; i < KernelArgs.MAX_ARGS; i++) {
            args.i32(i);
        }
        assertThat(args.count()).isEqualTo(KernelArgs.MAX_ARGS);
        assertThat(args.slots().getInt(8 * (KernelArgs.MAX_ARGS - 1))).isEqualTo(KernelArgs.MAX_ARGS - 1);
        assertThatThrownBy(() -> args.ptr(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more than " + KernelArgs.MAX_ARGS + " kernel parameters");
        assertThat(args.count()).isEqualTo(KernelArgs.MAX_ARGS);
    }
}
