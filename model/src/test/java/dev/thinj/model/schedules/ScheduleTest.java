package dev.thinj.model.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The Schedule contract: user lambdas, and Thinc's treatment of numbers, lists and iterators. */
class ScheduleTest {
    private static double[] first(Schedule schedule, int n) {
        return LongStream.range(0, n).mapToDouble(schedule::valueAt).toArray();
    }

    private static double[] firstFromIterator(Schedule schedule, int n) {
        Iterator<Double> it = schedule.iterator();
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = it.next();
        }
        return values;
    }

    @Test
    void aLambdaIsASchedule() {
        Schedule s = step -> 0.001 / (1 + step);
        assertThat(first(s, 4)).containsExactly(0.001, 0.0005, 0.001 / 3, 0.00025);
        assertThat(firstFromIterator(s, 4)).containsExactly(first(s, 4));
    }

    @Test
    void theIteratorNeverEnds() {
        Iterator<Double> it = Schedule.constant(2.5).iterator();
        for (int i = 0; i < 1000; i++) {
            assertThat(it.hasNext()).isTrue();
            assertThat(it.next()).isEqualTo(2.5);
        }
    }

    @Test
    void eachIteratorStartsAtStepZero() {
        Schedule s = step -> step;
        Iterator<Double> a = s.iterator();
        a.next();
        a.next();
        assertThat(s.iterator().next()).isEqualTo(0.0);
        assertThat(a.next()).isEqualTo(2.0);
    }

    @Test
    void aListGivesOneValuePerStepThenRepeatsItsLast() {
        Schedule s = Schedule.of(List.of(0.1, 0.2, 0.3));
        assertThat(first(s, 6)).containsExactly(0.1, 0.2, 0.3, 0.3, 0.3, 0.3);
        assertThat(s.valueAt(Long.MAX_VALUE)).isEqualTo(0.3);
        assertThat(firstFromIterator(s, 6)).containsExactly(first(s, 6));
    }

    @Test
    void aListIsCopied() {
        List<Double> values = new ArrayList<>(List.of(1.0, 2.0));
        Schedule s = Schedule.of(values);
        values.set(0, 99.0);
        assertThat(s.valueAt(0)).isEqualTo(1.0);
    }

    @Test
    void aListMayHoldAnyNumbers() {
        assertThat(first(Schedule.of(List.of(1, 2L, 3.5f)), 3)).containsExactly(1.0, 2.0, 3.5);
    }

    @Test
    void anIteratorIsDrawnOnlyAsFarAsAskedThenRepeatsItsLast() {
        List<Integer> drawn = new ArrayList<>();
        Iterator<Integer> source = new Iterator<>() {
            private int next = 10;

            @Override
            public boolean hasNext() {
                return next < 13;
            }

            @Override
            public Integer next() {
                drawn.add(next);
                return next++;
            }
        };
        Schedule s = Schedule.of(source);
        assertThat(s.valueAt(1)).isEqualTo(11.0);
        assertThat(drawn).containsExactly(10, 11);
        // Earlier steps are remembered, not drawn again.
        assertThat(s.valueAt(0)).isEqualTo(10.0);
        assertThat(first(s, 6)).containsExactly(10.0, 11.0, 12.0, 12.0, 12.0, 12.0);
        assertThat(drawn).containsExactly(10, 11, 12);
    }

    @Test
    void emptyListsAndIteratorsAreClearErrors() {
        assertThatThrownBy(() -> Schedule.of(List.<Double>of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Schedule.of: a list schedule needs at least one value");
        assertThatThrownBy(() -> Schedule.of(Collections.<Double>emptyIterator()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Schedule.of: an iterator schedule needs at least one value");
    }

    @Test
    void anIteratorScheduleRejectsANegativeStep() {
        Schedule s = Schedule.of(List.of(1.0).iterator());
        assertThatThrownBy(() -> s.valueAt(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Schedule step must be >= 0, got -1");
    }

    @Test
    void scheduleConstantAndSchedulesConstantAgree() {
        assertThat(first(Schedule.constant(0.01), 5)).containsExactly(first(Schedules.constant(0.01), 5));
    }

    @Test
    void aThincScheduleCanWrapAUserSchedule() {
        Schedule warm = Schedules.constantThen(0.0, 2, step -> 1.0 + step);
        assertThat(first(warm, 5)).containsExactly(0.0, 0.0, 1.0, 2.0, 3.0);
        Plateau p = Schedules.plateau(1, 0.5, Schedule.of(List.of(4.0, 2.0)));
        p.valueAt(0, new LastScore(0, 1.0));
        assertThat(p.valueAt(1, new LastScore(1, 0.0))).isEqualTo(1.0);
    }
}
