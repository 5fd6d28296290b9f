package dev.vigil.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.vigil.agent.config.Config;
import dev.vigil.agent.config.ConfigKey;

import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
                Config config = Config.load(agentArguments(rest));
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
        out.println("key=value items: separate words or comma-separated; a comma inside a value is written \\,");
        out.println("  e.g. attach 4711 service.name=shop 'resource.attributes=team=core\\,env=prod'");
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

    /**
     * The agent-argument text for the words after the target: each word is agent-argument text itself (one or
     * more comma-separated {@code key=value} items, {@code \\,} for a comma inside a value, as after
     * {@code -javaagent:vigil-agent.jar=}), and the words are joined with commas. So
     * {@code attach 42 a=1 b=2} and {@code attach 42 a=1,b=2} both pass {@code a=1,b=2}.
     */
    static String agentArguments(List<String> words) {
        StringBuilder out = new StringBuilder();
        for (String word : words) {
            if (!word.isEmpty()) {
                out.append(out.length() == 0 ? "" : ",").append(word);
            }
        }
        return out.toString();
    }

    private static int attach(File jar, List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println("vigil: attach needs a pid or a pattern (see 'list')");
            return 2;
        }
        String target = args.get(0);
        String agentArgs = agentArguments(args.subList(1, args.size()));
        List<String> problems = Config.checkArgs(agentArgs);
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("vigil: " + p));
            err.println("vigil: nothing attached; fix the arguments (a comma inside a value is written \\, "
                    + "e.g. resource.attributes=a=1\\,b=2; see 'keys')");
            return 2;
        }
        List<Target> targets;
        try {
            targets = resolve(target);
        } catch (IllegalArgumentException e) {
            err.println("vigil: " + e.getMessage());
            return 1;
        }
        if (targets.isEmpty()) {
            err.println("vigil: no running JVM matches '" + target + "' (see 'java -jar " + jar.getName() + " list')");
            return 1;
        }
        int failures = 0;
        for (Target t : targets) {
            if (!attachOne(jar, t, agentArgs, out, err)) {
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private static boolean attachOne(File jar, Target target, String agentArgs, PrintStream out, PrintStream err) {
        String name = target.id + (target.displayName.isEmpty() ? "" : " (" + target.displayName + ")");
        VirtualMachine vm;
        try {
            vm = target.descriptor != null ? VirtualMachine.attach(target.descriptor) : VirtualMachine.attach(target.id);
        } catch (Exception e) {
            err.println("vigil: could not attach to " + name + ": " + e.getMessage()
                    + " (is it a JVM running as this user, started without -XX:+DisableAttachMechanism?)");
            return false;
        }
        try {
            Properties props = vm.getSystemProperties();
            String running = props.getProperty(RUNNING);
            String tooLong = argumentsTooLong(jar.getAbsolutePath(), agentArgs, props.getProperty("java.specification.version"));
            if (tooLong != null) {
                err.println("vigil: not attached to " + name + ": " + tooLong);
                return false;
            }
            if (running != null) {
                err.println("vigil: not attached to " + name + ": Vigil is already running there (started "
                        + running + "); it was left as it is");
                return false;
            }
            vm.loadAgent(jar.getAbsolutePath(), agentArgs);
            // the agent sets the property once it has started; without it the target's stderr says why
            running = vm.getSystemProperties().getProperty(RUNNING);
            if (running == null) {
                err.println("vigil: loaded into " + name + " but the agent did not start; see that JVM's standard error");
                return false;
            }
            out.println("vigil: attached to " + name);
            return true;
        } catch (Exception e) {
            err.println("vigil: could not load the agent into " + name + ": " + e);
            return false;
        } finally {
            try {
                vm.detach();
            } catch (Exception ignored) {
                // the target may already be gone
            }
        }
    }

    /** Longest {@code jar=options} text the attach protocol of JDKs before 25 carries (JDK 17 fails beyond it). */
    static final int OLD_ATTACH_ARG_MAX = 1024;

    /**
     * Why the agent arguments cannot be sent to a JVM of {@code specVersion}, or null. Before JDK 25 the attach
     * protocol limits each argument (here the jar path, {@code =} and the options) to 1024 bytes; beyond that the
     * target drops the connection with an unhelpful "Premature EOF".
     */
    static String argumentsTooLong(String jarPath, String agentArgs, String specVersion) {
        int feature;
        try {
            feature = Integer.parseInt(specVersion.startsWith("1.") ? specVersion.substring(2) : specVersion.split("\\.")[0]);
        } catch (RuntimeException e) {
            feature = 0; // unknown: assume the old limit
        }
        int bytes = (jarPath + "=" + agentArgs).getBytes(StandardCharsets.UTF_8).length;
        if (feature >= 25 || bytes <= OLD_ATTACH_ARG_MAX) {
            return null;
        }
        return "the agent path and arguments take " + bytes + " bytes, more than the " + OLD_ATTACH_ARG_MAX
                + " that attaching to Java " + specVersion + " allows; put the settings in a properties file and pass"
                + " config.file=<path>";
    }

    /** A JVM to attach to: listed ({@code descriptor} set) or known only by its pid. */
    record Target(String id, String displayName, VirtualMachineDescriptor descriptor) {
    }

    /**
     * JVMs matching {@code target}: a pid (digits) or a substring of the display name (main class or jar and its
     * arguments). A pid that is not listed (e.g. a JVM started with {@code -XX:-UsePerfData}) is still tried if
     * the process exists; a pid with no process is an {@link IllegalArgumentException}.
     */
    static List<Target> resolve(String target) {
        String self = Long.toString(ProcessHandle.current().pid());
        boolean pid = !target.isEmpty() && target.chars().allMatch(Character::isDigit);
        if (pid && target.equals(self)) {
            throw new IllegalArgumentException("pid " + target + " is this command itself");
        }
        List<Target> matches = new ArrayList<>();
        for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
            if (vm.id().equals(self)) {
                continue;
            }
            if (pid ? vm.id().equals(target) : vm.displayName().contains(target)) {
                matches.add(new Target(vm.id(), vm.displayName(), vm));
            }
        }
        if (pid && matches.isEmpty()) {
            long number;
            try {
                number = Long.parseLong(target);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("no process with pid " + target);
            }
            if (ProcessHandle.of(number).isEmpty()) {
                throw new IllegalArgumentException("no process with pid " + target);
            }
            matches.add(new Target(target, "", null));
        }
        return matches;
    }

    static Map<String, Config.Value> effective(String args) {
        return Config.load(args).values();
    }
}
