package io.syncpoint.lock.core.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.contract.AllAtOnce;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {

    private final IdGenerator ids = IdGenerator.timeOrdered();

    @Test
    void timeOrderedIdsAreVersion7WithTheRfcVariantAndTheCurrentMillisecond() {
        long before = System.currentTimeMillis();
        UUID id = ids.newId();
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnes() throws InterruptedException {
        UUID first = ids.newId();
        Thread.sleep(2);
        UUID second = ids.newId();

        assertThat(second.toString()).isGreaterThan(first.toString());
    }

    @Test
    void eightThreadsTakingIdsAtOnceNeverShareOne() throws Exception {
        int perThread = 50_000;
        List<Callable<List<UUID>>> takers = IntStream.range(0, 8)
                .<Callable<List<UUID>>>mapToObj(thread -> () -> {
                    List<UUID> taken = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        taken.add(ids.newId());
                    }
                    return taken;
                })
                .toList();

        Set<UUID> distinct = new HashSet<>();
        AllAtOnce.run(takers).forEach(distinct::addAll);

        assertThat(distinct).hasSize(8 * perThread);
    }
}
