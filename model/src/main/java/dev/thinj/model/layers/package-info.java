/**
 * Layers and combinators with Thinc's names: {@link dev.thinj.model.layers.Linear},
 * {@link dev.thinj.model.layers.Relu}, {@link dev.thinj.model.layers.Softmax},
 * {@link dev.thinj.model.layers.Sigmoid}, {@link dev.thinj.model.layers.Dropout},
 * {@link dev.thinj.model.layers.Maxout}, {@link dev.thinj.model.layers.LayerNorm};
 * {@link dev.thinj.model.layers.Chain}, {@link dev.thinj.model.layers.Concatenate},
 * {@link dev.thinj.model.layers.Residual}, {@link dev.thinj.model.layers.Clone}. Each is a factory
 * returning a {@link dev.thinj.model.Model} built around a static forward function; none subclasses
 * Model. The affine layers take Thinc's {@code init_W} / {@code init_b} as
 * {@link dev.thinj.model.layers.WeightInit}s ({@link dev.thinj.model.layers.Initializers} has the
 * distributions).
 */
package dev.thinj.model.layers;
