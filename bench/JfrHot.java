import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises CPU samples of a JFR recording: the hottest methods by self time (top frame) and by total time
 * (anywhere on the stack), counted only from {@code --after} seconds into the recording (skips start-up).
 *
 *   java bench/JfrHot.java recording.jfr [--after SECONDS] [--top N]
 */
public class JfrHot {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        double after = 0;
        int top = 25;
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals("--after")) after = Double.parseDouble(args[i + 1]);
            if (args[i].equals("--top")) top = Integer.parseInt(args[i + 1]);
        }
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Instant start = null;
        int samples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (start == null) start = event.getStartTime();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) continue;
                if (event.getStartTime().isBefore(start.plusMillis((long) (after * 1000)))) continue;
                if (event.getStackTrace() == null) continue;
                samples++;
                String thread = event.getThread("sampledThread").getJavaName();
                threads.merge(thread == null ? "?" : thread.replaceAll("-\\d+$", "-N"), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                boolean first = true;
                for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                    String name = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
                    if (first) self.merge(name, 1, Integer::sum);
                    first = false;
                    if (seen.add(name)) total.merge(name, 1, Integer::sum);
                }
            }
        }
        System.out.printf("%d CPU samples after %.0f s%n", samples, after);
        print("threads", threads, samples, top);
        print("self (top frame)", self, samples, top);
        print("total (on stack)", total, samples, top * 2);
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.printf("%n-- %s%n", title);
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                .forEach(e -> System.out.printf("%6.1f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
    }
}
