package dev.thinj.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The "did you mean" suggestions of config and registry errors. */
class SuggestTest {
    @Test
    void closestNamesComeFirstWhateverTheirOrder() {
        // Two edits from Relu.v2, then one, then too far.
        List<String> names = List.of("Relu.v10", "Softmax.v1", "Relu.v1");
        assertThat(Suggest.closest("Relu.v2", names, 3)).containsExactly("Relu.v1", "Relu.v10");
        assertThat(Suggest.closest("Relu.v2", names, 1)).containsExactly("Relu.v1");
        assertThat(Suggest.closest("Relu.v2", names, 0)).isEmpty();
    }

    @Test
    void tiesKeepTheCandidatesOrder() {
        assertThat(Suggest.closest("cat", List.of("cot", "bat", "car"), 3)).containsExactly("cot", "bat", "car");
        assertThat(Suggest.closest("cat", List.of("car", "bat", "cot"), 3)).containsExactly("car", "bat", "cot");
    }

    @Test
    void caseIsIgnoredButTheNameItselfIsNotSuggested() {
        assertThat(Suggest.closest("relu.v1", List.of("Relu.v1", "relu.v1"), 3)).containsExactly("Relu.v1");
    }

    @Test
    void howFarASuggestionMayBeGrowsWithTheNameFromTwoToFiveEdits() {
        // Three letters: two edits, never fewer.
        assertThat(Suggest.closest("abc", List.of("aXY", "XYZ"), 3)).containsExactly("aXY");
        // Eight letters: half is four.
        assertThat(Suggest.closest("abcdefgh", List.of("abcXXXXX", "abcdXXXX"), 3)).containsExactly("abcdXXXX");
        // Twelve letters: five at most, not six.
        assertThat(Suggest.closest("abcdefghijkl", List.of("abcdefgXXXXX", "abcdefXXXXXX"), 3))
                .containsExactly("abcdefgXXXXX");
    }

    @Test
    void didYouMeanListsAtMostThreeOrNothing() {
        assertThat(Suggest.didYouMean("Relu.v2", List.of("Relu.v1", "Relu.v3", "Relu.v4", "Relu.v5")))
                .isEqualTo("; did you mean Relu.v1, Relu.v3, Relu.v4?");
        assertThat(Suggest.didYouMean("Relu.v2", List.of("Softmax.v1"))).isEmpty();
    }

    @Test
    void distanceIsLevenshtein() {
        assertThat(Suggest.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggest.distance("", "abc")).isEqualTo(3);
        assertThat(Suggest.distance("abc", "")).isEqualTo(3);
        assertThat(Suggest.distance("flaw", "lawn")).isEqualTo(2);
        assertThat(Suggest.distance("same", "same")).isZero();
    }
}
