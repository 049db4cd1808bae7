package io.wacast.catalog.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** A Kafka record a consumer could not apply after its retries, with where it came from and why. */
@Entity
@Table(name = "parked_events")
public class ParkedEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(updatable = false)
    public String topic;

    @Column(name = "kafka_partition", updatable = false)
    public int recordPartition;

    @Column(name = "kafka_offset", updatable = false)
    public long recordOffset;

    @Column(name = "record_key", updatable = false)
    public String recordKey;

    @Column(updatable = false)
    public String payload;

    public String reason;

    @Column(name = "parked_at", updatable = false)
    public Instant parkedAt;

    @Column(name = "replayed_at")
    public Instant replayedAt;

    @Column(name = "replayed_by")
    public String replayedBy;

    public static Optional<ParkedEvent> at(String topic, int partition, long offset) {
        return find("topic = ?1 and recordPartition = ?2 and recordOffset = ?3", topic, partition, offset).firstResultOptional();
    }
}
