// Package ptfile reads the state_dict files that torch.save writes (a zip archive holding a
// pickle, data.pkl, and one member per tensor storage) without running Python or a general
// pickle interpreter: it understands only the opcodes torch.save emits and only the globals a
// state_dict of tensors needs (collections.OrderedDict, torch._utils._rebuild_tensor_v2 and the
// storage types), so a pickle that asks for anything else is an error, and nothing is executed.
//
// Tensors of float64, float32, float16 and bfloat16 (widened to float32), and of the integer
// and bool types (widened to int64) are returned in row-major order, whatever their strides.
package ptfile
