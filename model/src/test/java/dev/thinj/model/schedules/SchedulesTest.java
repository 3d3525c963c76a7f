package dev.thinj.model.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The factories' documented behaviour, one schedule at a time: Thinc's own test expectations, the
 * quirks we keep on purpose, and the argument checks. The bulk comparison with Thinc's numbers is
 * {@link ThincScheduleFixturesTest}.
 */
class SchedulesTest {
    private static double[] first(Schedule schedule, int n) {
        return LongStream.range(0, n).mapToDouble(schedule::valueAt).toArray();
    }

    @Test
    void constantThenStartsTheWrappedScheduleAtItsOwnStepZero() {
        Schedule s = Schedules.constantThen(0.5, 3, Schedules.compounding(1.0, 16.0, 2.0));
        // Thinc 8 chains generators: compounding's first value (1.0) comes right after the three 0.5s.
        assertThat(first(s, 8)).containsExactly(0.5, 0.5, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0);
    }

    @Test
    void constantThenWithZeroStepsIsTheWrappedSchedule() {
        Schedule then = Schedules.cyclicTriangular(0.1, 1.0, 2);
        assertThat(first(Schedules.constantThen(7.0, 0, then), 10)).containsExactly(first(then, 10));
    }

    @Test
    void decayingDocstringExampleIsWrongAndTheCodeWins() {
        Schedule s = Schedules.decaying(0.001, 1e-4);
        assertThat(s.valueAt(0)).isEqualTo(0.001);
        // Thinc's docstring says 0.00999; its code gives 0.001 / 1.0001.
        assertThat(s.valueAt(1)).isEqualTo(0.001 * (1.0 / 1.0001)).isCloseTo(0.000999900009999, within(1e-18));
    }

    @Test
    void decayingOffsetStartsPartWayDown() {
        assertThat(Schedules.decaying(0.01, 0.5, 10).valueAt(0)).isEqualTo(Schedules.decaying(0.01, 0.5).valueAt(10));
    }

    @Test
    void compoundingClipsAtStopOnlyOnStopsSide() {
        assertThat(first(Schedules.compounding(1.0, 10.0, 1.5), 7))
                .containsExactly(1.0, 1.5, 2.25, 3.375, 5.0625, 7.59375, 10.0);
        // start > stop clips with max: shrinking values stop at `stop`...
        assertThat(Schedules.compounding(32.0, 4.0, 0.5).valueAt(10)).isEqualTo(4.0);
        // ...but growing ones are never clipped (Thinc's quirk, kept).
        assertThat(Schedules.compounding(10.0, 1.0, 2.0).valueAt(10)).isEqualTo(10.0 * 1024);
    }

    @Test
    void compoundingIgnoresTAsThinc8Does() {
        assertThat(first(Schedules.compounding(1.0, 10.0, 1.5, 5.0), 20))
                .containsExactly(first(Schedules.compounding(1.0, 10.0, 1.5), 20));
    }

    @Test
    void warmupLinearMatchesThincsOwnTest() {
        assertThat(first(Schedules.warmupLinear(1.0, 2, 10), 11))
                .containsExactly(0.0, 0.5, 1.0, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125, 0.0);
        assertThat(Schedules.warmupLinear(1.0, 2, 10).valueAt(1_000_000)).isEqualTo(0.0);
    }

    @Test
    void warmupLinearWithoutWarmupStartsAtTheInitialRate() {
        assertThat(first(Schedules.warmupLinear(0.001, 0, 4), 6)).containsExactly(0.001, 0.00075, 0.0005, 0.00025, 0, 0);
    }

    @Test
    void slantedTriangularRisesFallsAndGoesNegativePastItsEnd() {
        Schedule s = Schedules.slantedTriangular(1.0, 20, 0.1, 10);
        // cut = 2: the peak is at step 1 (Thinc's t counts from 1).
        assertThat(s.valueAt(1)).isEqualTo(1.0);
        // Thinc's own test: up to the peak, then down, passing the first value again at step 3.
        assertThat(s.valueAt(0)).isEqualTo(0.55);
        assertThat(s.valueAt(2)).isLessThan(s.valueAt(1));
        assertThat(s.valueAt(3)).isGreaterThan(s.valueAt(0)).isLessThan(s.valueAt(2));
        // p reaches 0 at t = cut / cutFrac = 20, i.e. step 19: maxRate / ratio.
        assertThat(s.valueAt(19)).isCloseTo(0.1, within(1e-15));
        // Past the end Thinc keeps falling (quirk, kept): below maxRate / ratio, then negative.
        assertThat(s.valueAt(20)).isLessThan(0.1);
        assertThat(s.valueAt(25)).isNegative();
    }

    @Test
    void slantedTriangularTruncatesCutAsPythonsIntDoes() {
        // 100 * 0.29 is 28.999999999999996 in double: cut is 28, so the peak is at step 27.
        Schedule s = Schedules.slantedTriangular(1.0, 100, 0.29, 32);
        assertThat(s.valueAt(27)).isEqualTo(1.0);
        assertThat(s.valueAt(28)).isLessThan(1.0);
    }

    @Test
    void slantedTriangularIgnoresDecayAsThinc8Does() {
        assertThat(first(Schedules.slantedTriangular(1.0, 20, 0.1, 10, 0.25, 0), 30))
                .containsExactly(first(Schedules.slantedTriangular(1.0, 20, 0.1, 10), 30));
    }

    @Test
    void slantedTriangularDefaultsAreThincs() {
        assertThat(first(Schedules.slantedTriangular(0.01, 100), 50))
                .containsExactly(first(Schedules.slantedTriangular(0.01, 100, 0.1, 32, 1.0, 0.0), 50));
    }

    @Test
    void cyclicTriangularMatchesThincsOwnTest() {
        assertThat(first(Schedules.cyclicTriangular(0.1, 1.0, 2), 10))
                .containsExactly(new double[] {0.55, 1.0, 0.55, 0.1, 0.55, 1.0, 0.55, 0.1, 0.55, 1.0}, within(1e-15));
    }

    @Test
    void toStringShowsTheArguments() {
        assertThat(Schedules.warmupLinear(0.001, 250, 20000).toString())
                .contains("WarmupLinear", "initialRate=0.001", "warmupSteps=250", "totalSteps=20000");
    }

    @Test
    void badArgumentsNameTheScheduleAndTheArgument() {
        Schedule ok = Schedules.constant(1);
        rejects(() -> Schedules.constantThen(1, -1, ok), "constantThen: steps must be >= 0, got -1");
        rejects(() -> Schedules.decaying(1, -0.1), "decaying: decay must be a finite number >= 0, got -0.1");
        rejects(() -> Schedules.decaying(1, 0.1, -2), "decaying: t must be a finite number >= 0, got -2.0");
        rejects(() -> Schedules.decaying(1, Double.NaN), "decaying: decay must be a finite number >= 0, got NaN");
        rejects(() -> Schedules.compounding(1, 10, 0), "compounding: compound must be a finite number > 0, got 0.0");
        rejects(() -> Schedules.compounding(1, 10, -1.5), "compounding: compound must be a finite number > 0, got -1.5");
        rejects(() -> Schedules.warmupLinear(1, -1, 10), "warmupLinear: warmupSteps must be >= 0, got -1");
        rejects(() -> Schedules.warmupLinear(1, 1, -10), "warmupLinear: totalSteps must be >= 0, got -10");
        rejects(() -> Schedules.slantedTriangular(1, 100, 0, 32), "slantedTriangular: cutFrac must be in (0, 1), got 0.0");
        rejects(() -> Schedules.slantedTriangular(1, 100, 1, 32), "slantedTriangular: cutFrac must be in (0, 1), got 1.0");
        rejects(() -> Schedules.slantedTriangular(1, 100, 0.1, 0), "slantedTriangular: ratio must be a finite number > 0, got 0.0");
        rejects(() -> Schedules.slantedTriangular(1, 100, 0.1, 32, 1, -1), "slantedTriangular: t must be a finite number >= 0, got -1.0");
        rejects(() -> Schedules.slantedTriangular(1, 9), "slantedTriangular: numSteps * cutFrac must be at least 1");
        rejects(() -> Schedules.slantedTriangular(1, -100), "slantedTriangular: numSteps * cutFrac must be at least 1");
        rejects(() -> Schedules.cyclicTriangular(0.1, 1, 0), "cyclicTriangular: period must be >= 1, got 0");
        rejects(() -> Schedules.cyclicTriangular(0.1, 1, -3), "cyclicTriangular: period must be >= 1, got -3");
        rejects(() -> Schedules.plateau(0, 0.5, ok), "plateau: maxPatience must be >= 1, got 0");
        rejects(() -> Schedules.plateau(2, -0.5, ok), "plateau: scale must be a finite number >= 0, got -0.5");
    }

    private static void rejects(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    @Test
    void nullWrappedSchedulesAreRejectedByName() {
        assertThatThrownBy(() -> Schedules.constantThen(1, 1, null))
                .isInstanceOf(NullPointerException.class).hasMessage("constantThen: then must not be null");
        assertThatThrownBy(() -> Schedules.plateau(1, 0.5, null))
                .isInstanceOf(NullPointerException.class).hasMessage("plateau: schedule must not be null");
    }

    @Test
    void everyScheduleRejectsANegativeStepByName() {
        Schedule one = Schedules.constant(1);
        List<Schedule> all = List.of(one, Schedules.constantThen(1, 2, one), Schedules.decaying(1, 0.1),
                Schedules.compounding(1, 2, 1.1), Schedules.warmupLinear(1, 2, 3), Schedules.slantedTriangular(1, 100),
                Schedules.cyclicTriangular(0, 1, 2), Schedules.plateau(1, 0.5, one));
        List<String> names = List.of("constant", "constantThen", "decaying", "compounding", "warmupLinear",
                "slantedTriangular", "cyclicTriangular", "plateau");
        for (int i = 0; i < all.size(); i++) {
            Schedule s = all.get(i);
            assertThatThrownBy(() -> s.valueAt(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(names.get(i) + ": step must be >= 0, got -1");
        }
    }
}
