package io.tiflink.vmconn.model;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import io.tiflink.vmconn.alert.AlertGroup;
import io.tiflink.vmconn.match.BufferedConnection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every type in state or on the wire is a Flink POJO, serialized without Kryo, so that savepoints
 * can evolve (fields added later restore from older savepoints).
 */
class StateTypesArePojosTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                Indicator.class,
                Connection.class,
                DeadLetter.class,
                InputRecord.class,
                IndicatorEvent.class,
                KeyedInput.class,
                IndicatorTimeline.class,
                IpIndicators.class,
                Match.class,
                Alert.class,
                BufferedConnection.class,
                io.tiflink.vmconn.match.KeptChunk.class,
                AlertGroup.class
            })
    void serializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
