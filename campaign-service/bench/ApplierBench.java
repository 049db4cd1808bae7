import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load for the applier benchmark (BENCHMARKS.md), run with the JDK's single-file launcher:
 *   commit <group>                        positions <group> at the end of wacast.outcomes and wacast.events
 *   publish <campaign> <ids-file> <reads>  a sent outcome and a delivered status per recipient id, and a
 *                                          read status for the first <reads> of them
 */
public class ApplierBench {

    public static void main(String[] args) throws Exception {
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        if (args[0].equals("commit")) {
            commit(bootstrap, args[1]);
        } else {
            publish(bootstrap, Long.parseLong(args[1]), Files.readAllLines(Path.of(args[2])), Integer.parseInt(args[3]));
        }
    }

    static void commit(String bootstrap, String group) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of("wacast.outcomes", "wacast.events")) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            Map<TopicPartition, OffsetAndMetadata> end = new HashMap<>();
            consumer.endOffsets(partitions).forEach((tp, offset) -> end.put(tp, new OffsetAndMetadata(offset)));
            consumer.commitSync(end);
            System.out.println("group " + group + " positioned at the end of " + partitions.size() + " partitions");
        }
    }

    static void publish(String bootstrap, long campaign, List<String> ids, int reads) throws Exception {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long started = System.nanoTime();
        int sent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            String key = Long.toString(campaign);
            String now = Instant.now().toString();
            int i = 0;
            for (String line : ids) {
                if (line.isBlank()) {
                    continue;
                }
                long id = Long.parseLong(line.trim());
                String job = "wc:" + campaign + ":" + id;
                String wamid = "wamid.bench." + campaign + "." + id;
                producer.send(new ProducerRecord<>("wacast.outcomes", key, "{\"eventId\":\"" + UUID.randomUUID()
                        + "\",\"schemaVersion\":1,\"jobId\":\"" + job + "\",\"campaignId\":" + campaign + ",\"recipientId\":" + id
                        + ",\"status\":\"sent\",\"wamid\":\"" + wamid + "\",\"messageStatus\":\"accepted\",\"attempt\":1,"
                        + "\"occurredAt\":\"" + now + "\"}"));
                producer.send(status(key, job, wamid, campaign, "delivered", now));
                sent += 2;
                if (i++ < reads) {
                    producer.send(status(key, job, wamid, campaign, "read", now));
                    sent++;
                }
            }
            producer.flush();
        }
        System.out.printf("published %d events in %.1f s%n", sent, (System.nanoTime() - started) / 1e9);
    }

    static ProducerRecord<String, String> status(String key, String job, String wamid, long campaign, String status, String now) {
        ProducerRecord<String, String> record = new ProducerRecord<>("wacast.events", key, "{\"eventId\":\"" + UUID.randomUUID()
                + "\",\"schemaVersion\":1,\"jobId\":\"" + job + "\",\"wamid\":\"" + wamid + "\",\"campaignId\":" + campaign
                + ",\"phoneNumberId\":\"100000000000099\",\"recipient\":\"919800000000\",\"status\":\"" + status
                + "\",\"metaTimestamp\":\"" + now + "\",\"receivedAt\":\"" + now + "\"}");
        record.headers().add("wacast-event-type", "status".getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
