package safetensors

import (
	"encoding/binary"
	"math"

	"github.com/gograd/gograd/internal/half"
)

// dtypeSizes gives the byte size of every dtype Read accepts.
var dtypeSizes = map[string]int{
	"F64": 8, "F32": 4, "F16": 2, "BF16": 2,
	"I64": 8, "I32": 4, "I16": 2, "I8": 1,
	"U64": 8, "U32": 4, "U16": 2, "U8": 1, "BOOL": 1,
}

// NumPyName returns NumPy's name of a safetensors dtype ("F32" gives "float32", "BF16"
// gives "bfloat16"), or "" for a dtype Read does not accept.
func NumPyName(dtype string) string {
	return map[string]string{
		"F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16",
		"I64": "int64", "I32": "int32", "I16": "int16", "I8": "int8",
		"U64": "uint64", "U32": "uint32", "U16": "uint16", "U8": "uint8", "BOOL": "bool",
	}[dtype]
}

// decode fills t's data from raw, the little-endian bytes of len(raw)/size elements of dtype.
func decode(t *Tensor, raw []byte) {
	le := binary.LittleEndian
	n := len(raw) / dtypeSizes[t.Dtype]
	switch t.Dtype {
	case "F64":
		t.F64 = make([]float64, n)
		for i := range t.F64 {
			t.F64[i] = math.Float64frombits(le.Uint64(raw[8*i:]))
		}
	case "F32", "F16", "BF16":
		t.F32 = make([]float32, n)
		for i := range t.F32 {
			switch t.Dtype {
			case "F32":
				t.F32[i] = math.Float32frombits(le.Uint32(raw[4*i:]))
			case "F16":
				t.F32[i] = half.ToFloat32(le.Uint16(raw[2*i:]))
			default: // bfloat16 is the top half of a float32
				t.F32[i] = math.Float32frombits(uint32(le.Uint16(raw[2*i:])) << 16)
			}
		}
	default:
		t.I64 = make([]int64, n)
		for i := range t.I64 {
			switch t.Dtype {
			case "I64":
				t.I64[i] = int64(le.Uint64(raw[8*i:]))
			case "U64":
				t.I64[i] = int64(le.Uint64(raw[8*i:])) // values above 2^63 wrap, as numpy's astype
			case "I32":
				t.I64[i] = int64(int32(le.Uint32(raw[4*i:])))
			case "U32":
				t.I64[i] = int64(le.Uint32(raw[4*i:]))
			case "I16":
				t.I64[i] = int64(int16(le.Uint16(raw[2*i:])))
			case "U16":
				t.I64[i] = int64(le.Uint16(raw[2*i:]))
			case "I8":
				t.I64[i] = int64(int8(raw[i]))
			default: // U8, BOOL
				t.I64[i] = int64(raw[i])
			}
		}
	}
}
