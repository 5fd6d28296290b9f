package dev.vigil.agent.leak;

import dev.vigil.agent.util.WeakIdentityMap;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Leaks that are a count creeping up: listeners added and never removed, periodic tasks scheduled and never
 * cancelled. Each registered item (a listener, a task) is counted at its <i>site</i> — the first application frame
 * of the registering call, {@code Class.method} — for as long as it is registered: until it is removed or
 * cancelled, or until it is garbage-collected (its owner or timer went away, so it was not a leak).
 *
 * <p><b>Verdict.</b> Once per window the count of every site is compared with the last window's. A site becomes a
 * suspect when its count grew in {@code growthWindows} consecutive windows and is at least {@code minRetained}
 * (a few listeners per object is design, not a leak); one warning with the stack of the first registration at
 * that site goes to the agent log, and {@code vigil.leak.suspected{kind,site}} goes up. It clears itself after
 * {@code growthWindows} windows without growth, or when the count falls under {@code minRetained}. The count itself
 * is the gauge {@code vigil.leak.retained{kind,site}}.
 *
 * <p><b>Cost.</b> Registration is not a hot path (a leaky application registers per request at worst): one stack
 * walk that reads class and method names up to the first application frame (the full stack is captured only for
 * a site's first registration; periodic tasks walk once per task class) and one weak map entry for a new item;
 * removal is one map lookup. Items are held weakly. At most {@link #MAX_SITES} sites per kind (then {@code other}) and
 * {@link #MAX_ITEMS} items are tracked; beyond, new items are not counted. Thread-safe.
 */
public final class RetentionTracker {
    public static final String RETAINED = "vigil.leak.retained";
    static final int MAX_SITES = 100;
    static final int MAX_ITEMS = 1_000_000;
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final String kind;
    private final String noun;
    private final LeakRegistry registry;
    private final MeterRegistry meters;
    private final int growthWindows;
    private final long minRetained;
    private final LongSupplier epochMillis;
    private final ConcurrentHashMap<String, Site> sites = new ConcurrentHashMap<>();
    private final WeakIdentityMap<Entry> items = new WeakIdentityMap<>(this::collected);
    /** Periodic tasks: the site and item description of each task class, found at its first registration. */
    private final WeakIdentityMap<ClassSite> byTaskClass = new WeakIdentityMap<>();

    /** {@code site} null: registered by the agent itself. */
    private record ClassSite(String site, String item) {
    }

    /** One registering site: its live count and its verdict state (the latter touched by the checker only). */
    static final class Site {
        final String name;
        final String owner;
        final List<String> stack;
        final long firstEpochMillis;
        final AtomicLong retained = new AtomicLong();
        volatile String lastItemClass;
        long lastCount;
        int growing;
        int flat;
        Suspect suspect;

        Site(String name, String owner, List<String> stack, long firstEpochMillis) {
            this.name = name;
            this.owner = owner;
            this.stack = stack;
            this.firstEpochMillis = firstEpochMillis;
        }
    }

    /** An item's registrations (the same listener may be added twice) and where it counts. */
    static final class Entry {
        final Site site;
        int times = 1;

        Entry(Site site) {
            this.site = site;
        }

        /** The same item registered once more (listener lists allow duplicates). */
        void again() {
            synchronized (this) {
                times++;
            }
            site.retained.incrementAndGet();
        }
    }

    /** {@code noun}: what is counted, plural, for messages ("listeners", "periodic tasks"). */
    public RetentionTracker(String kind, String noun, LeakRegistry registry, MeterRegistry meters, int growthWindows,
                            long minRetained) {
        this(kind, noun, registry, meters, growthWindows, minRetained, System::currentTimeMillis);
    }

    RetentionTracker(String kind, String noun, LeakRegistry registry, MeterRegistry meters, int growthWindows,
                     long minRetained, LongSupplier epochMillis) {
        this.kind = kind;
        this.noun = noun;
        this.registry = registry;
        this.meters = meters;
        this.growthWindows = growthWindows;
        this.minRetained = minRetained;
        this.epochMillis = epochMillis;
    }

    /** Runs the verdict every {@code windowMillis} on the agent's shared scheduler. */
    public RetentionTracker start(long windowMillis) {
        registry.every(windowMillis, kind, this::check);
        return this;
    }

    /** {@code item} was registered with {@code owner}; its site is found on the stack. */
    public void registered(Object owner, Object item) {
        registered(owner, item, null);
    }

    /**
     * {@code item} was registered with {@code owner} to run {@code task} (a periodic task's {@code Runnable}, or the
     * {@code TimerTask} itself). The site is found on the stack once per class of {@code task} and reused: a task
     * class is scheduled from one place in nearly every program (a lambda is a class per expression), and a stack
     * walk costs microseconds — too much for a library that schedules a task per connection (ActiveMQ's pinger).
     * {@code task} null: walk the stack every time (listeners, whose classes are often shared across sites).
     */
    public void registered(Object owner, Object item, Object task) {
        if (owner == null || item == null) {
            return;
        }
        Entry existing = items.get(item);
        if (existing != null) {
            existing.again();
            return;
        }
        if (items.size() >= MAX_ITEMS) {
            return;
        }
        String siteName;
        String itemName;
        if (task == null) {
            siteName = WALKER.walk(RetentionTracker::siteOf);
            itemName = siteName == null ? null : describe(item.getClass());
        } else {
            ClassSite known = byTaskClass.get(task.getClass());
            if (known == null) {
                String found = WALKER.walk(RetentionTracker::siteOf);
                known = new ClassSite(found, found == null ? null : describe(task.getClass()));
                byTaskClass.put(task.getClass(), known);
            }
            siteName = known.site();
            itemName = known.item();
        }
        if (siteName == null) {
            return; // registered by the agent itself
        }
        Site site = site(siteName, owner);
        site.lastItemClass = itemName;
        Entry raced = items.putIfAbsent(item, new Entry(site));
        if (raced != null) {
            raced.again();
        } else {
            site.retained.incrementAndGet();
        }
    }

    /** A class name for messages; hidden (lambda) class names carry an address, which is dropped. */
    private static String describe(Class<?> type) {
        String name = type.getName();
        int lambda = name.indexOf("$$Lambda");
        return lambda > 0 ? "a lambda in " + name.substring(0, lambda) : name;
    }

    /**
     * In one pass over the stack, without materialising it: skips the agent's frames, takes the next one as the
     * registering (instrumented) call, and returns {@code Class.method} of the first application frame among its
     * callers (else of its direct caller) — or null when the first caller outside the JDK is the agent itself (its
     * own schedulers, its shutdown hook).
     */
    private static String siteOf(Stream<StackWalker.StackFrame> stack) {
        Iterator<StackWalker.StackFrame> frames = stack.iterator();
        StackWalker.StackFrame call = null;
        String firstCaller = null;
        boolean outsideJdkSeen = false;
        while (frames.hasNext()) {
            StackWalker.StackFrame frame = frames.next();
            String name = frame.getClassName();
            if (call == null) {
                if (!LeakSites.isAgent(name)) {
                    call = frame;
                }
                continue;
            }
            if (firstCaller == null) {
                firstCaller = name + "." + frame.getMethodName();
            }
            if (!outsideJdkSeen && !name.startsWith("java.") && !name.startsWith("jdk.") && !name.startsWith("sun.")) {
                outsideJdkSeen = true;
                if (LeakSites.isAgent(name)) {
                    return null;
                }
            }
            if (LeakSites.isApplication(name)) {
                return name + "." + frame.getMethodName();
            }
        }
        return firstCaller != null ? firstCaller : call != null ? call.getClassName() + "." + call.getMethodName() : "unknown";
    }

    /** {@code item} was removed or cancelled. Unknown items (registered before the agent started) are ignored. */
    public void unregistered(Object item) {
        Entry entry = item == null ? null : items.get(item);
        if (entry == null) {
            return;
        }
        synchronized (entry) {
            if (entry.times == 0) {
                return;
            }
            if (--entry.times == 0) {
                items.remove(item);
            }
        }
        entry.site.retained.decrementAndGet();
    }

    /** A registered item was garbage-collected: whatever held it is gone, so it no longer counts. */
    private void collected(Entry entry) {
        int times;
        synchronized (entry) {
            times = entry.times;
            entry.times = 0;
        }
        entry.site.retained.addAndGet(-times);
    }

    private Site site(String name, Object owner) {
        Site site = sites.get(name);
        if (site != null) {
            return site;
        }
        if (sites.size() >= MAX_SITES) {
            return sites.computeIfAbsent("other", k -> newSite("other", "various", List.of()));
        }
        // a new site: its stack, once (the owner of its first registration names it in messages)
        Throwable registeredAt = new Throwable();
        return sites.computeIfAbsent(name, k -> newSite(name, owner.getClass().getName(), LeakSites.lines(
                LeakSites.fromInstrumentedCall(registeredAt.getStackTrace()), LeakRegistry.MAX_FRAMES)));
    }

    private Site newSite(String name, String owner, List<String> stack) {
        Site site = new Site(name, owner, stack, epochMillis.getAsLong());
        Gauge.builder(RETAINED, site.retained, AtomicLong::get)
                .description("Listeners or periodic tasks registered and not yet removed, by kind and registering site")
                .tag("kind", kind).tag("site", name).register(meters);
        return site;
    }

    /** One verdict window: called on the agent's scheduler thread, and by tests. */
    void check() {
        items.expunge();
        for (Site site : sites.values()) {
            long now = site.retained.get();
            if (now > site.lastCount) {
                site.growing++;
                site.flat = 0;
            } else {
                site.flat++;
                site.growing = 0;
            }
            long grewBy = now - site.lastCount;
            site.lastCount = now;
            if (site.suspect == null && site.growing >= growthWindows && now >= minRetained) {
                site.suspect = registry.report(kind, site.name, now + " " + noun + " on " + site.owner
                        + " registered here and still registered, growing for " + site.growing + " windows (+"
                        + grewBy + " in the last; latest " + site.lastItemClass + ")", site.stack, site.firstEpochMillis);
            } else if (site.suspect != null && (site.flat >= growthWindows || now < minRetained)) {
                registry.clear(site.suspect, (now < minRetained ? "down to " : "no growth for " + site.flat
                        + " windows, ") + now + " " + noun + " registered");
                site.suspect = null;
            }
        }
    }
}
