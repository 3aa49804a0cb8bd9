package io.tiflink.vmconn.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.model.EventTimes;
import org.junit.jupiter.api.Test;

/** The keys of sealed probe chunks: distinct for every instant a time can have, no overflow. */
class PendingProbesTest {

    @Test
    void chunkKeysOfNeighbouringInstantsNeverMeetEvenAtTheEndsOfTime() {
        long last = EventTimes.toMillis(Long.MAX_VALUE);
        long first = EventTimes.toMillis(Long.MIN_VALUE);
        for (long instant : new long[] {first, first + 1, -1, 0, 1, last - 1, last}) {
            long lowest = PendingProbes.chunkKey(instant, 1);
            long highest = PendingProbes.chunkKey(instant, PendingProbes.MAX_SEALED);
            assertThat(highest).as("no overflow at %d", instant).isGreaterThan(lowest);
            if (instant != last) {
                assertThat(PendingProbes.chunkKey(instant + 1, 1))
                        .as("after every chunk of %d", instant)
                        .isGreaterThan(highest);
            }
        }
    }

    @Test
    void aPublicationOfOneBucketAtOneInstantHasRoomForMillionsOfProbes() {
        assertThat((long) PendingProbes.MAX_SEALED * PendingProbes.CHUNK)
                .isGreaterThan(10_000_000L);
    }
}
