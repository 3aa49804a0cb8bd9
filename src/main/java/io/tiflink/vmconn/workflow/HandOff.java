package io.tiflink.vmconn.workflow;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The type of a record that one operator hands to the next and never looks at again: its POJO
 * serializer, except that a copy is the record itself. Between chained operators Flink copies every
 * record (object reuse is off, as it should be for state held on the heap); for the wrappers the
 * sources and the row steps emit ({@code InputRecord}, {@code KeyedInput}) that copy is pure cost:
 * no operator keeps them, and the one that receives a record is the only one that changes it. Never
 * a state type: state keeps its POJO serializer.
 */
public final class HandOff<T> extends TypeInformation<T> {

    private static final long serialVersionUID = 1L;

    private final TypeInformation<T> pojo;

    private HandOff(TypeInformation<T> pojo) {
        this.pojo = pojo;
    }

    /** The hand-off type of a POJO class. */
    public static <T> TypeInformation<T> of(Class<T> type) {
        return new HandOff<>(TypeInformation.of(type));
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new Serializer<>(pojo.createSerializer(config));
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return pojo.getArity();
    }

    @Override
    public int getTotalFields() {
        return pojo.getTotalFields();
    }

    @Override
    public Class<T> getTypeClass() {
        return pojo.getTypeClass();
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public String toString() {
        return "HandOff<" + pojo + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandOff && ((HandOff<?>) o).pojo.equals(pojo);
    }

    @Override
    public int hashCode() {
        return 31 * pojo.hashCode() + 7;
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof HandOff;
    }

    /** The POJO serializer with copies that are the record itself. */
    static final class Serializer<T> extends TypeSerializer<T> {

        private static final long serialVersionUID = 1L;

        final TypeSerializer<T> pojo;

        Serializer(TypeSerializer<T> pojo) {
            this.pojo = pojo;
        }

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public TypeSerializer<T> duplicate() {
            TypeSerializer<T> d = pojo.duplicate();
            return d == pojo ? this : new Serializer<>(d);
        }

        @Override
        public T createInstance() {
            return pojo.createInstance();
        }

        @Override
        public T copy(T from) {
            return from; // handed off: the sender never touches it again
        }

        @Override
        public T copy(T from, T reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return pojo.getLength();
        }

        @Override
        public void serialize(T record, DataOutputView target) throws IOException {
            pojo.serialize(record, target);
        }

        @Override
        public T deserialize(DataInputView source) throws IOException {
            return pojo.deserialize(source);
        }

        @Override
        public T deserialize(T reuse, DataInputView source) throws IOException {
            return pojo.deserialize(reuse, source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            pojo.copy(source, target);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Serializer && ((Serializer<?>) o).pojo.equals(pojo);
        }

        @Override
        public int hashCode() {
            return pojo.hashCode() + 1;
        }

        @Override
        public TypeSerializerSnapshot<T> snapshotConfiguration() {
            return new Snapshot<>(this);
        }
    }

    /** The serializer's snapshot: its POJO serializer's. */
    public static final class Snapshot<T>
            extends CompositeTypeSerializerSnapshot<T, Serializer<T>> {

        public Snapshot() {}

        Snapshot(Serializer<T> serializer) {
            super(serializer);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return 1;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(Serializer<T> outer) {
            return new TypeSerializer<?>[] {outer.pojo};
        }

        @Override
        @SuppressWarnings("unchecked")
        protected Serializer<T> createOuterSerializerWithNestedSerializers(
                TypeSerializer<?>[] nested) {
            return new Serializer<>((TypeSerializer<T>) nested[0]);
        }
    }
}
