/**
 * Models as functions, Thinc's way: {@link dev.thinj.model.Model} pairs a {@link dev.thinj.model.Forward}
 * function with named dims, parameters, gradients and child layers; a forward pass returns a
 * {@link dev.thinj.model.Result} holding the output and its {@link dev.thinj.model.Backprop} closure.
 * Layers ({@code layers}), losses ({@code losses}), optimizers ({@code optimizers}) and schedules
 * ({@code schedules}) live in the sub-packages. This module compiles against {@code ops-api} only.
 */
package dev.thinj.model;
