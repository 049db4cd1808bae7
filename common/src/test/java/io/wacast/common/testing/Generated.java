package io.wacast.common.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/**
 * Generated inputs for a rule that must hold for all of them, fed to a JUnit {@code @ParameterizedTest}
 * (STYLE.md: not jqwik). Seeded: every run tries the same cases, and a failing one is named with its
 * input in the test's display name ({@code [index] name=value, …}), so it can be read and re-run.
 * Bounds come up about one draw in five, as edge cases do in a property-based tool.
 */
public final class Generated {

    /** Cases per rule: as many as jqwik tried by default. */
    public static final int CASES = 1_000;

    private final Random random;

    private Generated(long seed) {
        this.random = new Random(seed);
    }

    /** {@link #CASES} argument sets drawn by {@code draw} from a generator seeded with {@code seed}. */
    public static Stream<Arguments> cases(long seed, Function<Generated, Arguments> draw) {
        Generated generated = new Generated(seed);
        return Stream.generate(() -> draw.apply(generated)).limit(CASES);
    }

    /** Between {@code min} and {@code max}, both included. */
    public int between(int min, int max) {
        return (int) between((long) min, max);
    }

    /** Between {@code min} and {@code max}, both included. */
    public long between(long min, long max) {
        int edge = random.nextInt(10);
        if (edge == 0) {
            return min;
        }
        if (edge == 1) {
            return max;
        }
        return Math.min(max, min + (long) (random.nextDouble() * ((double) max - min + 1)));
    }

    /** Between 0 and 1, both included. */
    public double unit() {
        int edge = random.nextInt(10);
        return edge == 0 ? 0.0 : edge == 1 ? 1.0 : random.nextDouble();
    }

    public <T> T oneOf(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    @SafeVarargs
    public final <T> T oneOf(T... values) {
        return oneOf(List.of(values));
    }

    /** A list of {@code minSize} to {@code maxSize} elements. */
    public <T> List<T> listOf(int minSize, int maxSize, Supplier<T> element) {
        int size = between(minSize, maxSize);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    /** A string of {@code minLength} to {@code maxLength} characters out of {@code chars}. */
    public String string(String chars, int minLength, int maxLength) {
        int length = between(minLength, maxLength);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(chars.charAt(random.nextInt(chars.length())));
        }
        return text.toString();
    }
}
