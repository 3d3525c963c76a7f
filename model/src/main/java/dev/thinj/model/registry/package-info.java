/**
 * Thinc's function registry: {@link dev.thinj.model.registry.Registry} holds named, versioned
 * functions in Thinc's categories ({@code layers}, {@code optimizers}, {@code schedules},
 * {@code losses}, {@code initializers}, {@code datasets}, {@code ops}) and resolves a
 * {@link dev.thinj.model.config.Config} bottom-up: every {@code @registry = "name.vN"} block becomes a
 * call, its arguments checked against the function's declared parameters, so every mistake names
 * the file, line, section and key. {@link dev.thinj.model.registry.Registry#fill} completes a config
 * with defaults instead.
 *
 * <p>All of thinj's layers, optimizers, schedules, losses and initializers are registered under
 * Thinc's names, versions, argument names and defaults ({@code Builtin*} classes), so Thinc's configs
 * work unchanged. Users add functions with {@link dev.thinj.model.registry.Registered} on a static
 * method whose parameters carry {@link dev.thinj.model.registry.Arg}, registered with one call to
 * {@link dev.thinj.model.registry.Registry#registerAll} or found by {@link java.util.ServiceLoader}
 * through a {@link dev.thinj.model.registry.FunctionLibrary}.
 *
 * <p>Inside: {@code Resolver} walks the tree and builds the resolved and filled trees at once,
 * {@code ArgConverter} turns config values into parameter types (with pydantic's coercions), and
 * {@link dev.thinj.model.registry.RegisteredFunction} is one declared function.
 */
package dev.thinj.model.registry;
