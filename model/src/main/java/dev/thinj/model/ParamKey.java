package dev.thinj.model;

/**
 * Identifies one parameter for an optimizer: the model node's id and the parameter's name, as
 * Thinc's {@code (node.id, name)} keys.
 *
 * @param nodeId the id of the model node owning the parameter
 * @param name the parameter's name in that node, such as {@code "W"}
 */
public record ParamKey(long nodeId, String name) {
    @Override
    public String toString() {
        return "(" + nodeId + ", " + name + ")";
    }
}
