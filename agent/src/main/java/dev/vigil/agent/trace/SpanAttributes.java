package dev.vigil.agent.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A span's attributes: keys and values side by side in one array sized for a typical span (10 pairs: an HTTP
 * server span has 9 to 12, a JDBC span 8 or 9, a messaging span 5 to 7), grown when needed, up to {@link VigilSpan#LIMIT}
 * distinct keys; a value set again for a key replaces the old one, as in the SDK. The SDK's own map allocates room
 * for 16 attributes and a 32-slot hash table for every span (≈ 0.4 KB); here a key is found by a linear scan.
 *
 * <p>Not thread-safe: {@link VigilSpan} guards it, and it is only read once the span has ended.
 */
final class SpanAttributes implements Attributes {
    private Object[] entries = new Object[20]; // key, value, key, value, …
    private int size;
    /** Every value set, including replacements and those over the limit (for the dropped count). */
    private int added;

    /** Sets {@code key} to {@code value}; a null key or value is ignored, as in the SDK. */
    <T> void put(AttributeKey<T> key, T value) {
        if (key == null || key.getKey().isEmpty() || value == null) {
            return;
        }
        added++;
        String name = key.getKey();
        for (int i = 0; i < size * 2; i += 2) {
            if (((AttributeKey<?>) entries[i]).getKey().equals(name)) {
                entries[i] = key;
                entries[i + 1] = value;
                return;
            }
        }
        if (size == VigilSpan.LIMIT) {
            return;
        }
        if (size * 2 == entries.length) {
            Object[] grown = new Object[entries.length * 2];
            System.arraycopy(entries, 0, grown, 0, entries.length);
            entries = grown;
        }
        entries[size * 2] = key;
        entries[size * 2 + 1] = value;
        size++;
    }

    /** Sets every attribute of {@code other}, one by one as {@link #put} does. */
    @SuppressWarnings("unchecked")
    void putAll(Attributes other) {
        other.forEach((key, value) -> put((AttributeKey<Object>) key, value));
    }

    int totalAdded() {
        return added;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(AttributeKey<T> key) {
        if (key == null) {
            return null;
        }
        for (int i = 0; i < size * 2; i += 2) {
            AttributeKey<?> k = (AttributeKey<?>) entries[i];
            if (k.getKey().equals(key.getKey()) && k.getType() == key.getType()) {
                return (T) entries[i + 1];
            }
        }
        return null;
    }

    @Override
    public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
        for (int i = 0; i < size * 2; i += 2) {
            consumer.accept((AttributeKey<?>) entries[i], entries[i + 1]);
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public Map<AttributeKey<?>, Object> asMap() {
        Map<AttributeKey<?>, Object> map = new LinkedHashMap<>();
        forEach(map::put);
        return Collections.unmodifiableMap(map);
    }

    @Override
    public AttributesBuilder toBuilder() {
        AttributesBuilder builder = Attributes.builder();
        builder.putAll(this);
        return builder;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attributes && asMap().equals(((Attributes) o).asMap());
    }

    @Override
    public int hashCode() {
        return asMap().hashCode();
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
