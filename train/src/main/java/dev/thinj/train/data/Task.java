package dev.thinj.train.data;

/** What a dataset's targets are, and so how a model is trained and evaluated on it. */
public enum Task {
    /** Class indices in {@code [0, classes)}: categorical cross-entropy; accuracy, F1, confusion. */
    CLASSIFY,
    /** Float targets, one or more per row: L2 distance; MSE, MAE, R². */
    REGRESS
}
