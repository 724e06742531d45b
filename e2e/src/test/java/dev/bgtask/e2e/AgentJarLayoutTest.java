package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** SPEC §8: only the tiny API is visible; everything the agent carries hides under inst/ as .classdata. */
class AgentJarLayoutTest {

  @Test
  void onlyTheApiAndTheBootClassesAreLoadableFromTheJar() throws Exception {
    try (JarFile jar = new JarFile(ChildJvm.agentJar())) {
      List<String> classes = jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).sorted().toList();
      for (String name : classes) {
        assertTrue(name.startsWith("dev/bgtask/") && !name.startsWith("dev/bgtask/runtime/")
            && !name.startsWith("dev/bgtask/agent/install/"), "visible class " + name);
      }
      assertTrue(classes.contains("dev/bgtask/Background.class"));
      assertTrue(classes.contains("dev/bgtask/internal/TaskBridge.class"));
      assertTrue(classes.contains("dev/bgtask/agent/AgentMain.class"));
      assertTrue(jar.getEntry("inst/net/bytebuddy/ByteBuddy.classdata") != null);
      assertTrue(jar.getEntry("inst/com/fasterxml/jackson/databind/ObjectMapper.classdata") != null);
      assertTrue(jar.getEntry("inst/dev/bgtask/runtime/Engine.classdata") != null);
      assertTrue(jar.getEntry("inst/META-INF/services/ch.qos.logback.classic.spi.Configurator") != null);
      List<String> rootResources = jar.stream().map(e -> e.getName())
          .filter(n -> !n.startsWith("inst/") && !n.startsWith("dev/") && !n.endsWith("/")).toList();
      assertEquals(List.of("META-INF/MANIFEST.MF"), rootResources, "no logback.xml or service file visible to the application");
      assertEquals("dev.bgtask.agent.AgentMain", jar.getManifest().getMainAttributes().getValue("Premain-Class"));
    }
  }
}
