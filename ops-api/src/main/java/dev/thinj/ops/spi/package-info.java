/**
 * The service-provider interface through which backends plug in. A backend module implements
 * {@link dev.thinj.ops.spi.OpsProvider} and lists it in
 * {@code META-INF/services/dev.thinj.ops.spi.OpsProvider}; {@link dev.thinj.ops.Ops#get(String)} finds
 * it at run time. Nothing here is needed by model code.
 */
package dev.thinj.ops.spi;
