package dev.tarn.txlog.internal.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** FileMap must behave like a LinkedHashMap with move-to-end puts, however its changes are stacked on bases. */
class FileMapTest {
    record Entry(FileKey key, int value) {}

    private static FileKey key(int i) {
        return new FileKey("f" + i, i % 3 == 0 ? "dv" + i : null);
    }

    private static Entry e(int k, int v) {
        return new Entry(key(k), v);
    }

    private static List<Integer> values(FileMap<Entry> map) {
        List<Integer> out = new ArrayList<>();
        map.values().forEach(x -> out.add(x.value()));
        return out;
    }

    @Test
    void overlaysShareTheFrozenBaseAndLeaveItUnchanged() {
        FileMap<Entry> base = new FileMap<>(Entry::key);
        for (int i = 0; i < 5; i++) {
            base.putUnique(e(i, i));
        }
        base.freeze();
        assertThrows(IllegalStateException.class, () -> base.put(key(9), e(9, 9)));

        FileMap<Entry> next = base.overlay();
        next.remove(key(1));
        next.remove(key(1));
        next.put(key(0), e(0, 10));
        next.put(key(7), e(7, 7));
        next.putUnique(e(8, 8)); // after other changes it is an ordinary put
        assertEquals(List.of(2, 3, 4, 10, 7, 8), values(next));
        assertEquals(6, next.size());
        assertEquals(List.of(0, 1, 2, 3, 4), values(base));
        assertEquals(5, base.size());

        next.freeze();
        FileMap<Entry> third = next.overlay();
        third.put(key(1), e(1, 11));
        third.remove(key(7));
        assertEquals(List.of(2, 3, 4, 10, 8, 11), values(third));
        assertEquals(6, third.size());
        assertEquals(List.of(2, 3, 4, 10, 7, 8), values(next));
    }

    @Test
    void randomChangesThroughManyOverlaysMatchALinkedHashMap() {
        SplittableRandom random = new SplittableRandom(42);
        LinkedHashMap<FileKey, Integer> expected = new LinkedHashMap<>();
        FileMap<Entry> map = new FileMap<>(Entry::key);
        for (int i = 0; i < 3000; i++) {
            expected.put(key(i), i);
            map.putUnique(e(i, i));
        }
        for (int round = 0; round < 40; round++) {
            // Enough changes in some rounds to make the next overlay flatten into a new base.
            int changes = round % 10 == 9 ? 6000 : 300;
            for (int c = 0; c < changes; c++) {
                int k = random.nextInt(8000);
                if (random.nextInt(3) == 0) {
                    expected.remove(key(k));
                    map.remove(key(k));
                } else {
                    int v = random.nextInt();
                    expected.remove(key(k));
                    expected.put(key(k), v);
                    map.put(key(k), e(k, v));
                }
            }
            assertEquals(expected.size(), map.size());
            assertEquals(new ArrayList<>(expected.values()), values(map));
            assertEquals(new ArrayList<>(expected.values()),
                    map.toList().stream().map(Entry::value).toList(), "toList in round " + round);
            map = map.freeze().overlay();
        }
        assertEquals(new ArrayList<>(expected.values()), values(map));
    }
}
