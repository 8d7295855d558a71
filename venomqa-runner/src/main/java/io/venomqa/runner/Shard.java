package io.venomqa.runner;

import io.venomqa.journey.Journey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One part of a suite split over several machines: shard {@code index} of {@code count}, written
 * {@code i/n} ({@code venomqa run --shard 2/4}, or the system property {@value #SYSTEM_PROPERTY}
 * for JUnit's {@code JourneyTests}).
 *
 * <p>Guarantees: a journey belongs to exactly one shard of {@code count}, chosen from its name alone
 * (a SHA-256 hash of the name, modulo {@code count}), so shards {@code 1/n … n/n} together run every
 * journey exactly once, whatever order the journeys are declared or discovered in, on every machine
 * and JVM, and a journey's shard changes only when its name or {@code n} does. Journeys are not
 * balanced by duration: with few journeys per shard, shards differ in size.
 *
 * @param index from 1 to {@code count}
 * @param count 1 or more
 */
public record Shard(int index, int count) {

    /** The system property JUnit runs read: {@code -Dvenomqa.shard=2/4}. */
    public static final String SYSTEM_PROPERTY = "venomqa.shard";

    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,6})\\s*/\\s*(\\d{1,6})\\s*");

    /** Checks the bounds. */
    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("Shard " + index + "/" + count + " does not exist: write i/n with 1 <= i <= n,"
                    + " such as 1/4 … 4/4 for a suite split over four machines.");
        }
    }

    /**
     * Reads {@code i/n}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Shard parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("Shard '" + text + "' is not of the form i/n (such as 2/4: the second of four"
                    + " parts); in a CI matrix pass the job's index and the number of jobs.");
        }
        return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** The shard named by system property {@value #SYSTEM_PROPERTY}, if it is set and not blank. */
    public static Optional<Shard> fromSystemProperty() {
        String value = System.getProperty(SYSTEM_PROPERTY);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(parse(value));
    }

    /** The shard (1 to {@code count}) that journey {@code journeyName} belongs to. */
    public static int of(String journeyName, int count) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(journeyName.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (hash[i] & 0xff);
        }
        return (int) Math.floorMod(value, (long) count) + 1;
    }

    /** Whether journey {@code journeyName} runs in this shard. */
    public boolean includes(String journeyName) {
        return of(journeyName, count) == index;
    }

    /** The journeys of {@code journeys} that run in this shard, in their order. */
    public List<Journey> select(List<Journey> journeys) {
        return journeys.stream().filter(j -> includes(j.name())).toList();
    }

    /** {@code i/n}. */
    @Override
    public String toString() {
        return index + "/" + count;
    }
}
