package dev.nabla.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NdArrayTest {

  @Test
  void zerosHasShapeDtypeAndSize() {
    NdArray a = NdArray.zeros(DType.F32, 2, 3);
    assertThat(a.shape()).containsExactly(2, 3);
    assertThat(a.dtype()).isEqualTo(DType.F32);
    assertThat(a.size()).isEqualTo(6);
    assertThat(a.rank()).isEqualTo(2);
    assertThat(a.floats()).hasSize(6).containsOnly(0f);
    assertThat(a.shapeString()).isEqualTo("[2, 3]");
  }

  @Test
  void scalarHasEmptyShapeAndOneElement() {
    NdArray s = NdArray.zeros(DType.F64);
    assertThat(s.size()).isEqualTo(1);
    assertThat(s.shapeString()).isEqualTo("[]");
    assertThat(NdArray.scalar(2.5).get()).isEqualTo(2.5);
    assertThat(NdArray.of(new double[] {4}).getDouble(0)).isEqualTo(4);
  }

  @Test
  void ofWrapsTheArrayLive() {
    double[] data = {1, 2, 3, 4, 5, 6};
    NdArray a = NdArray.of(data, 2, 3);
    assertThat(a.doubles()).isSameAs(data);
    a.setDouble(5, 60);
    assertThat(data[5]).isEqualTo(60);
    assertThat(a.get(1, 2)).isEqualTo(60);
    assertThat(a.get(0, 1)).isEqualTo(2);
    a.set(7, 1, 0);
    assertThat(data[3]).isEqualTo(7);
  }

  @Test
  void rowMajorIndexing() {
    NdArray a = NdArray.zeros(DType.F64, 2, 3, 4);
    assertThat(a.flatIndex(1, 2, 3)).isEqualTo(23);
    assertThat(a.flatIndex(0, 1, 0)).isEqualTo(4);
  }

  @Test
  void wrongDtypeAccessIsAClearError() {
    NdArray f = NdArray.zeros(DType.F32, 2);
    assertThatThrownBy(f::doubles).isInstanceOf(IllegalStateException.class).hasMessageContaining("F32 [2]");
    NdArray d = NdArray.zeros(DType.F64, 2);
    assertThatThrownBy(d::floats).isInstanceOf(IllegalStateException.class).hasMessageContaining("F64 [2]");
  }

  @Test
  void badIndicesNameTheShape() {
    NdArray a = NdArray.zeros(DType.F64, 2, 3);
    assertThatThrownBy(() -> a.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class)
        .isNotInstanceOf(ArrayIndexOutOfBoundsException.class)
        .hasMessageContaining("[2, 0]").hasMessageContaining("[2, 3]");
    assertThatThrownBy(() -> a.get(0)).hasMessageContaining("1 axes").hasMessageContaining("[2, 3]");
    assertThatThrownBy(() -> a.getDouble(6)).isNotInstanceOf(ArrayIndexOutOfBoundsException.class)
        .hasMessageContaining("6").hasMessageContaining("[2, 3]");
    assertThatThrownBy(() -> a.setDouble(-1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void badConstructionIsAClearError() {
    assertThatThrownBy(() -> NdArray.of(new double[5], 2, 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("NdArray.of: data has 5 elements but shape [2, 3] needs 6");
    assertThatThrownBy(() -> NdArray.zeros(DType.F64, 2, -1)).hasMessageContaining("negative");
    assertThatThrownBy(() -> NdArray.zeros(DType.F64, 65536, 65536)).hasMessageContaining("more than");
  }

  @Test
  void conversionAndCopy() {
    NdArray f = NdArray.ofFloats(new float[] {1.5f, -2f, 0.1f}, 3);
    NdArray d = f.asType(DType.F64);
    assertThat(d.dtype()).isEqualTo(DType.F64);
    assertThat(d.doubles()).containsExactly(1.5, -2.0, (double) 0.1f);
    assertThat(d.asType(DType.F32)).isEqualTo(f);
    assertThat(f.toDoubles()).containsExactly(1.5, -2.0, (double) 0.1f);
    NdArray c = f.copy();
    assertThat(c).isEqualTo(f).isNotSameAs(f);
    c.setDouble(0, 9);
    assertThat(f.getDouble(0)).isEqualTo(1.5);
    NdArray same = f.asType(DType.F32);
    assertThat(same.floats()).isNotSameAs(f.floats());
  }

  @Test
  void copyFromConvertsAndChecksShape() {
    NdArray d = NdArray.zeros(DType.F64, 2, 2);
    d.copyFrom(NdArray.ofFloats(new float[] {1, 2, 3, 4}, 2, 2));
    assertThat(d.doubles()).containsExactly(1, 2, 3, 4);
    assertThatThrownBy(() -> d.copyFrom(NdArray.zeros(DType.F64, 4)))
        .hasMessage("copyFrom: this array is [2, 2] but the source is [4]");
  }

  @Test
  void reshapeSharesData() {
    NdArray a = NdArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    NdArray b = a.reshape(3, 2);
    b.setDouble(0, 10);
    assertThat(a.getDouble(0)).isEqualTo(10);
    assertThat(b.get(2, 1)).isEqualTo(6);
    assertThatThrownBy(() -> a.reshape(4)).hasMessageContaining("[2, 3]").hasMessageContaining("[4]");
  }

  @Test
  void equalsAndHashCodeByValue() {
    NdArray a = NdArray.of(new double[] {1, 2}, 2);
    NdArray b = NdArray.of(new double[] {1, 2}, 2);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(NdArray.of(new double[] {1, 2}, 1, 2));
    assertThat(a).isNotEqualTo(a.asType(DType.F32));
    assertThat(a).isNotEqualTo(NdArray.of(new double[] {1, 3}, 2));
  }

  @Test
  void toStringIsShort() {
    assertThat(NdArray.ofFloats(new float[] {1, 2, 3}, 3).toString()).isEqualTo("F32[3] [1.0, 2.0, 3.0]");
    String big = NdArray.zeros(DType.F64, 100, 100).toString();
    assertThat(big).startsWith("F64[100, 100] [0.0, 0.0").contains("10000 elements").hasSizeLessThan(100);
  }

  @Test
  void fillSetsEveryElement() {
    NdArray a = NdArray.zeros(DType.F32, 3);
    a.fill(2.5);
    assertThat(a.floats()).containsExactly(2.5f, 2.5f, 2.5f);
  }
}
