package dev.bgtask.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Loads the agent's hidden part: the runtime and every library it carries, stored in the agent jar
 * as {@code inst/**.classdata} so that no application class loader can see or load them. Its
 * parent is the platform loader, which sees the JDK (including {@code java.sql}) and the small
 * API the agent appended to the bootstrap path, and nothing of the application.
 */
final class AgentClassLoader extends ClassLoader {

  static {
    registerAsParallelCapable();
  }

  private static final String ROOT = "inst/";

  private final JarFile jar;
  private final String jarUrl;
  private final Manifest manifest;
  private final ProtectionDomain domain;

  AgentClassLoader(JarFile jar, URL jarLocation, ClassLoader parent) throws IOException {
    super("bgtask-agent", parent);
    this.jar = jar;
    this.jarUrl = jarLocation.toExternalForm();
    this.manifest = jar.getManifest();
    this.domain = new ProtectionDomain(new CodeSource(jarLocation, (Certificate[]) null), null, this, null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JarEntry entry = jar.getJarEntry(ROOT + name.replace('.', '/') + ".classdata");
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    definePackageOf(name);
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  private void definePackageOf(String className) {
    int dot = className.lastIndexOf('.');
    if (dot < 0) {
      return;
    }
    String packageName = className.substring(0, dot);
    if (getDefinedPackage(packageName) == null) {
      try {
        java.util.jar.Attributes main = manifest == null ? new java.util.jar.Attributes() : manifest.getMainAttributes();
        String title = main.getValue(java.util.jar.Attributes.Name.IMPLEMENTATION_TITLE);
        String version = main.getValue(java.util.jar.Attributes.Name.IMPLEMENTATION_VERSION);
        definePackage(packageName, null, null, null, title, version, null, null);
      } catch (IllegalArgumentException definedConcurrently) {
        // another thread won the race; the package exists either way
      }
    }
  }

  /** Byte Buddy and ServiceLoader read resources by their usual names; they live under {@code inst/}. */
  @Override
  protected URL findResource(String name) {
    String entryName = name.endsWith(".class")
        ? ROOT + name.substring(0, name.length() - ".class".length()) + ".classdata"
        : ROOT + name;
    if (jar.getJarEntry(entryName) == null) {
      return null;
    }
    try {
      return new URL("jar:" + jarUrl + "!/" + entryName);
    } catch (MalformedURLException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
  }
}
