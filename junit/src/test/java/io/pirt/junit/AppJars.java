package io.pirt.junit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** A test application's class as a jar, the way a build would package it. */
final class AppJars {
    private AppJars() {
    }

    static Path of(Class<?> main, Path dir) throws IOException {
        String entry = main.getName().replace('.', '/') + ".class";
        Path jar = dir.resolve(main.getSimpleName() + ".jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             InputStream classFile = main.getClassLoader().getResourceAsStream(entry)) {
            if (classFile == null) throw new IOException(entry + " is not on the class path");
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
