/**
 * Saving and loading model state: {@link dev.thinj.model.serialize.ModelFile}'s versioned,
 * checksummed format, written atomically.
 */
package dev.thinj.model.serialize;
