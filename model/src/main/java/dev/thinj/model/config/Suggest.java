package dev.thinj.model.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Closest-name suggestions for error messages ("did you mean Relu.v1?"), by Levenshtein distance,
 * ignoring case.
 */
public final class Suggest {
    private Suggest() {
    }

    /**
     * @param wrong the name that was not found
     * @param candidates the names that exist
     * @param max how many to return at most
     * @return the candidates close enough to be plausible typos, closest first (ties keep order)
     */
    public static List<String> closest(String wrong, Collection<String> candidates, int max) {
        String w = wrong.toLowerCase(Locale.ROOT);
        // Half the length, at least 2 and at most 5 edits: catches typos and version changes.
        int limit = Math.max(2, Math.min(5, w.length() / 2));
        List<String> hits = new ArrayList<>();
        List<Integer> distances = new ArrayList<>();
        for (String c : candidates) {
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            if (d <= limit && !c.equals(wrong)) {
                hits.add(c);
                distances.add(d);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(distances::get));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(max, order.size()); i++) {
            out.add(hits.get(order.get(i)));
        }
        return out;
    }

    /**
     * @param wrong the name that was not found
     * @param candidates the names that exist
     * @return {@code "; did you mean X, Y?"}, or an empty string when nothing is close
     */
    public static String didYouMean(String wrong, Collection<String> candidates) {
        List<String> c = closest(wrong, candidates, 3);
        return c.isEmpty() ? "" : "; did you mean " + String.join(", ", c) + "?";
    }

    /**
     * @param a a string
     * @param b another
     * @return the Levenshtein distance between them
     */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
