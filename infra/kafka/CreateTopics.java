import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics listed in infra/topics.conf in one JVM (one TopicCommand per topic costs ~2 s
 * each), idempotently: existing topics are kept and only grown to the configured partition count.
 * Usage: java -cp "lib/*" CreateTopics.java bootstrap-servers topics.conf
 */
public class CreateTopics {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        List<NewTopic> wanted = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] f = trimmed.split("\\s+");
            wanted.add(new NewTopic(f[0], Integer.parseInt(f[1]), (short) 1)
                    .configs(Map.of("cleanup.policy", f[2], "min.insync.replicas", "1")));
        }
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            Map<String, TopicDescription> described =
                    admin.describeTopics(wanted.stream().map(NewTopic::name).toList()).allTopicNames().get();
            for (NewTopic t : wanted) {
                int have = described.get(t.name()).partitions().size();
                if (have < t.numPartitions()) {
                    admin.createPartitions(Map.of(t.name(), NewPartitions.increaseTo(t.numPartitions()))).all().get();
                    have = t.numPartitions();
                }
                System.out.printf("  topic %-26s %3d partitions%s%n", t.name(), have,
                        missing.contains(t) ? " (created)" : "");
            }
        }
    }
}
