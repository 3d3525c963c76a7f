/**
 * Optimizers (SGD, Adam, RAdam) with Thinc's defaults and update order; their arithmetic runs as
 * backend kernels.
 */
package dev.thinj.model.optimizers;
