package dev.thinj.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The partitions' gradients summed along a fixed binary tree over the partition indices: a node's sum
 * is always its left child's plus its right child's, whatever order Spark's {@code treeAggregate}
 * hands the partial results over in. Float addition is commutative but not associative, so this is
 * what makes a round's result the same bits on every run: a retried task, or a task that ran on
 * another executor, changes nothing. Partial results that are not siblings yet are kept apart until
 * their sibling arrives.
 */
final class TreeSum implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * One partition's or subtree's contribution.
     *
     * @param values the summed vector, or null for none (all zeros)
     * @param present which parameters had a gradient
     * @param loss the summed (scaled) loss
     * @param rows training rows in it
     * @param computeNanos the longest task's compute time in it
     * @param template bytes only the leftmost contributing partition's are kept (averaging: one
     *     worker's optimizer state, whose layout the summed state vector follows), or null
     */
    record Part(float[] values, boolean[] present, double loss, long rows, long computeNanos, byte[] template)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /** A part without a template. */
        Part(float[] values, boolean[] present, double loss, long rows, long computeNanos) {
            this(values, present, loss, rows, computeNanos, null);
        }

        /** @return the sum of two siblings, this the left one: element by element, then the counts */
        Part plus(Part o) {
            float[] v;
            if (values == null || o.values == null) {
                v = values == null ? o.values : values;
            } else {
                if (values.length != o.values.length) {
                    throw new IllegalStateException("partitions sent vectors of " + values.length + " and "
                            + o.values.length + " values: their models or optimizer states differ in layout");
                }
                v = new float[values.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = values[i] + o.values[i];
                }
            }
            boolean[] p;
            if (present == null || o.present == null) {
                p = present == null ? o.present : present;
            } else {
                p = new boolean[present.length];
                for (int i = 0; i < p.length; i++) {
                    p[i] = present[i] || o.present[i];
                }
            }
            return new Part(v, p, loss + o.loss, rows + o.rows, Math.max(computeNanos, o.computeNanos),
                    template != null ? template : o.template);
        }
    }

    private final int partitions;
    /** Leaves: the smallest power of two at least {@code partitions}. */
    private final int leaves;
    /** Complete subtrees by heap index: 1 is the root, {@code leaves + p} partition p's leaf. */
    private final Map<Integer, Part> nodes = new HashMap<>();

    /** @param partitions the round's partitions, at least 1 */
    TreeSum(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a round needs at least one partition, got " + partitions);
        }
        this.partitions = partitions;
        this.leaves = Integer.highestOneBit(partitions) == partitions ? partitions : Integer.highestOneBit(partitions) << 1;
    }

    /**
     * @param partition a partition's index
     * @param part its contribution
     * @return this sum, with it added
     */
    TreeSum add(int partition, Part part) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " of a round of " + partitions);
        }
        put(leaves + partition, part);
        return this;
    }

    /**
     * @param other another partial sum of the same round (not changed)
     * @return this sum, with the other's parts added
     */
    TreeSum merge(TreeSum other) {
        if (other.partitions != partitions) {
            throw new IllegalArgumentException("sums of rounds of " + partitions + " and " + other.partitions
                    + " partitions");
        }
        other.nodes.forEach(this::put);
        return this;
    }

    /**
     * @return the root: every partition's contribution summed
     * @throws IllegalStateException if a partition has not reported
     */
    Part total() {
        Part root = nodes.get(1);
        if (root == null) {
            throw new IllegalStateException("a round's sum lacks partitions: it holds subtrees " + nodes.keySet()
                    + " of " + partitions + " partitions");
        }
        return root;
    }

    private void put(int node, Part part) {
        if (nodes.putIfAbsent(node, part) != null) {
            throw new IllegalStateException("partition subtree " + node + " reported twice in one round");
        }
        int n = node;
        while (n > 1) {
            int sibling = n ^ 1;
            Part s = nodes.get(sibling);
            if (s == null && !isPadding(sibling)) {
                return;
            }
            Part self = nodes.remove(n);
            if (s != null) {
                nodes.remove(sibling);
            }
            Part left = (n & 1) == 0 ? self : s;
            Part right = (n & 1) == 0 ? s : self;
            Part sum = left == null ? right : right == null ? left : left.plus(right);
            n >>= 1;
            nodes.put(n, sum);
        }
    }

    /** @return whether the subtree holds no partition at all (its leftmost leaf is past the last) */
    private boolean isPadding(int node) {
        int leftmost = node;
        while (leftmost < leaves) {
            leftmost <<= 1;
        }
        return leftmost - leaves >= partitions;
    }
}
