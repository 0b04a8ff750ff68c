/**
 * Files: NumPy {@code .npy} arrays ({@link dev.nabla.runtime.io.Npy}) and {@code .npz} archives
 * ({@link dev.nabla.runtime.io.Npz}), read with sizes checked before anything is allocated and
 * every problem reported as a {@link dev.nabla.runtime.NablaDataException} naming the file, and
 * written atomically (readers see the old file or the whole new one, never a part).
 */
package dev.nabla.runtime.io;
