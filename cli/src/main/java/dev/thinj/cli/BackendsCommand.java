package dev.thinj.cli;

import dev.thinj.ops.Ops;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code thinj backends}: which {@link Ops} backends are on the class path and why each is or isn't usable. */
@Command(name = "backends", description = "List the ops backends, their priority and why each is or isn't available.")
final class BackendsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.print(Ops.describe());
        out.println();
        Ops auto = Ops.get("auto");
        out.println("auto -> " + auto.name() + ": " + auto.description());
        out.flush();
        return 0;
    }
}
