package dev.thinj.ops;

/**
 * One row of {@link Ops#describe()}.
 *
 * @param name the backend's name
 * @param priority its rank for {@code "auto"}
 * @param gpu whether it computes on a GPU
 * @param available whether it can run here
 * @param reason why not, or an empty string
 */
public record BackendInfo(String name, int priority, boolean gpu, boolean available, String reason) {
}
