# Makes the NumPy fixtures in this directory. Run from this directory with NumPy 2.x:
#   python3 make_fixtures.py
# (the committed files were made with NumPy 2.4.6 by exactly this script).
import numpy as np

# tiny.npz (stored, like every np.savez): a float32 [2, 3], a float64 [3], a float64 0-d scalar.
np.savez('tiny.npz',
         a=np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
         b=np.array([1.5, -2.0, 1e-300]),
         s=np.float64(3.25))
# tiny_compressed.npz (deflated): a float64 [10, 10] and an int32 [2, 2].
np.savez_compressed('tiny_compressed.npz',
                    z=np.linspace(0, 1, 100).reshape(10, 10),
                    i=np.array([[1, -2], [3, 4]], dtype=np.int32))
# Single arrays in other dtypes, orders and header versions.
np.save('big_endian_f8.npy', np.array([1.0, 2.5, -3.0], dtype='>f8'))
np.save('int64.npy', np.array([[-5, 7]], dtype=np.int64))
np.save('uint8.npy', np.array([0, 128, 255], dtype=np.uint8))
np.save('f16.npy', np.array([0.5, -2.0, 65504.0], dtype=np.float16))
np.save('bool.npy', np.array([True, False]))
np.save('scalar_f4.npy', np.float32(7.5))
with open('v2.npy', 'wb') as f:
    np.lib.format.write_array(f, np.arange(4.0), version=(2, 0))
with open('v3.npy', 'wb') as f:
    np.lib.format.write_array(f, np.arange(4.0, dtype=np.float32), version=(3, 0))
# Files the runtime must reject with a clear message.
np.save('fortran.npy', np.asfortranarray(np.arange(6.0).reshape(2, 3)))
np.save('complex.npy', np.array([1 + 2j]))
np.save('structured.npy', np.zeros(2, dtype=[('x', '<f4'), ('y', '<f8')]))
