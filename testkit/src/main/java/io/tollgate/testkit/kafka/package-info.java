/**
 * A real Kafka broker for integration tests: {@link io.tollgate.testkit.kafka.KafkaBroker} (shared per test JVM
 * or private for outage tests, run in a child JVM) and {@link io.tollgate.testkit.kafka.KafkaTopics} (create
 * topics, produce, read a topic to its end with the plain kafka-clients). See docs/development.md, "Kafka".
 */
package io.tollgate.testkit.kafka;
