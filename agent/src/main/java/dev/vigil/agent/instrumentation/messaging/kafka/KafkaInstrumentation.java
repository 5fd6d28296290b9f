package dev.vigil.agent.instrumentation.messaging.kafka;

import dev.vigil.agent.instrumentation.ClassLoaderHas;
import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Kafka clients (3.x/4.x): {@code KafkaProducer.send(record, callback)} (inject into the record's headers),
 * {@code KafkaConsumer.poll(Duration)} (receive span), and the iterators of {@code ConsumerRecords} (one process
 * span per record, current while the application handles it). Those iterators are Kafka's
 * {@code AbstractIterator}s: {@code makeNext} returns the next record, or null when iteration is over.
 */
public final class KafkaInstrumentation implements VigilInstrumentation {
    static final String PRODUCER = "org.apache.kafka.clients.producer.KafkaProducer";
    static final String CONSUMER = "org.apache.kafka.clients.consumer.KafkaConsumer";
    static final String RECORDS = "org.apache.kafka.clients.consumer.ConsumerRecords";

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named(PRODUCER, CONSUMER).or(Candidates.nameStartsWith(RECORDS + "$"));
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        return ClassLoaderHas.classNamed(RECORDS);
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(
                named("send").and(isDeclaredBy(named(PRODUCER))).and(isPublic()).and(takesArguments(2))
                        .and(takesArgument(0, named("org.apache.kafka.clients.producer.ProducerRecord"))),
                KafkaSendAdvice.class.getName(),
                named("poll").and(isDeclaredBy(named(CONSUMER))).and(isPublic()).and(takesArguments(1))
                        .and(takesArgument(0, named("java.time.Duration"))).and(returns(named(RECORDS))),
                KafkaPollAdvice.class.getName(),
                named("makeNext").and(not(isBridge())).and(takesArguments(0))
                        .and(isDeclaredBy(nameStartsWith(RECORDS + "$")))
                        .and(returns(named("org.apache.kafka.clients.consumer.ConsumerRecord"))),
                KafkaRecordAdvice.class.getName());
    }
}
