package dev.vigil.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.vigil.agent.config.Config;
import dev.vigil.agent.config.ConfigKey;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code java -jar vigil-agent.jar <command>}: {@code list}, {@code attach <pid|pattern> [key=value…]},
 * {@code config [key=value…]}, {@code keys}, {@code help}.
 */
public final class Cli {
    private static final String RUNNING = "vigil.agent.running";

    private Cli() {
    }

    public static void main(File jar, String[] args) {
        System.exit(run(jar, args, System.out, System.err));
    }

    static int run(File jar, String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "help" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        switch (command) {
            case "list":
                return list(out);
            case "attach":
                return attach(jar, rest, out, err);
            case "config":
                Config config = Config.load(String.join(",", rest));
                out.print(config.describe());
                config.problems().forEach(p -> err.println("[vigil] WARN " + p));
                return 0;
            case "keys":
                for (ConfigKey key : ConfigKey.all().values()) {
                    out.printf("%-28s %-24s %-36s %s%n", key.name(), key.defaultValue().isEmpty() ? "(empty)" : key.defaultValue(),
                            key.otelEnv() == null ? "" : key.otelEnv(), key.description());
                }
                return 0;
            case "help":
            case "--help":
            case "-h":
                usage(out);
                return 0;
            default:
                err.println("vigil: unknown command '" + command + "'");
                usage(err);
                return 2;
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar vigil-agent.jar <command>");
        out.println("  list                              JVMs this user can attach to");
        out.println("  attach <pid|pattern> [key=value…]  load the agent into running JVMs (pattern: part of the main class or jar)");
        out.println("  config [key=value…]                effective configuration and where each value comes from");
        out.println("  keys                              every configuration key with its default");
        out.println("as an agent: java -javaagent:vigil-agent.jar[=key=value,…] -jar app.jar");
    }

    private static int list(PrintStream out) {
        String self = Long.toString(ProcessHandle.current().pid());
        for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
            if (!vm.id().equals(self)) {
                out.println(vm.id() + "\t" + (vm.displayName().isEmpty() ? "(unknown)" : vm.displayName()));
            }
        }
        return 0;
    }

    private static int attach(File jar, List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println("vigil: attach needs a pid or a pattern (see 'list')");
            return 2;
        }
        String target = args.get(0);
        List<String> options = args.subList(1, args.size());
        for (String option : options) {
            if (option.indexOf('=') <= 0) {
                err.println("vigil: '" + option + "' is not key=value");
                return 2;
            }
        }
        List<VirtualMachineDescriptor> targets = resolve(target);
        if (targets.isEmpty()) {
            err.println("vigil: no running JVM matches '" + target + "' (see 'java -jar " + jar.getName() + " list')");
            return 1;
        }
        int failures = 0;
        for (VirtualMachineDescriptor descriptor : targets) {
            String name = descriptor.id() + " (" + descriptor.displayName() + ")";
            try {
                VirtualMachine vm = VirtualMachine.attach(descriptor.id());
                try {
                    Properties props = vm.getSystemProperties();
                    if (props.getProperty(RUNNING) != null) {
                        err.println("vigil: not attached to " + name + ": Vigil is already running there (started "
                                + props.getProperty(RUNNING) + ")");
                        failures++;
                        continue;
                    }
                    vm.loadAgent(jar.getAbsolutePath(), String.join(",", options));
                    out.println("vigil: attached to " + name);
                } finally {
                    vm.detach();
                }
            } catch (Exception e) {
                err.println("vigil: could not attach to " + name + ": " + e.getMessage()
                        + " (the target must run as the same user, with attach enabled)");
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }

    static List<VirtualMachineDescriptor> resolve(String target) {
        String self = Long.toString(ProcessHandle.current().pid());
        List<VirtualMachineDescriptor> matches = new ArrayList<>();
        boolean pid = target.chars().allMatch(Character::isDigit);
        for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
            if (vm.id().equals(self)) {
                continue;
            }
            if (pid ? vm.id().equals(target) : vm.displayName().contains(target)) {
                matches.add(vm);
            }
        }
        if (pid && matches.isEmpty()) {
            // not listed (e.g. started with -XX:-UsePerfData): try the pid anyway
            matches.add(new VirtualMachineDescriptor(VirtualMachine.list().isEmpty() ? null
                    : VirtualMachine.list().get(0).provider(), target, ""));
        }
        return matches;
    }

    static Map<String, Config.Value> effective(String args) {
        return Config.load(args).values();
    }
}
