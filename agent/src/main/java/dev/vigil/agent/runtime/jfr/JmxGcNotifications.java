package dev.vigil.agent.runtime.jfr;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fallback GC source when JFR is unavailable: the JMX GC notifications ({@code com.sun.management}), which give
 * the collector's bean name, the action, the cause, the duration and the pools' usage after the collection.
 * Removes its listeners on {@link #close()}.
 */
final class JmxGcNotifications implements AutoCloseable {
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener;

    private JmxGcNotifications(GcRecorder recorder) {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        this.listener = (Notification n, Object handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            GcInfo gc = info.getGcInfo();
            recorder.onCollection(info.getGcName(), info.getGcAction(), info.getGcCause(), gc.getDuration() * 1_000_000L);
            long used = 0;
            for (Map.Entry<String, MemoryUsage> e : gc.getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(e.getKey())) {
                    used += e.getValue().getUsed();
                }
            }
            recorder.onHeapAfterGc(System.currentTimeMillis(), used);
        };
    }

    /** Listens to every collector that emits notifications; null when none does. */
    static JmxGcNotifications start(GcRecorder recorder) {
        JmxGcNotifications out = new JmxGcNotifications(recorder);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(out.listener, null, null);
                out.emitters.add(emitter);
            }
        }
        return out.emitters.isEmpty() ? null : out;
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
        emitters.clear();
    }
}
