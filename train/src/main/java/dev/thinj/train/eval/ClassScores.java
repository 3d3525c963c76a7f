package dev.thinj.train.eval;

/**
 * One class's scores, as scikit-learn's {@code precision_recall_fscore_support} gives them with
 * {@code zero_division=0}.
 *
 * @param name the class's name
 * @param precision of the samples predicted as this class, the share that are; 0 if none was predicted
 * @param recall of the samples of this class, the share predicted as it; 0 if there are none
 * @param f1 the harmonic mean of precision and recall; 0 if both are 0
 * @param support how many samples truly are of this class
 */
public record ClassScores(String name, double precision, double recall, double f1, int support) {
}
