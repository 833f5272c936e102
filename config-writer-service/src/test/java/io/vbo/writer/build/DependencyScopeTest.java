package io.vbo.writer.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vbo.lab.ProjectRoot;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the packaged writer carries: ini4j only for the test that records its limits, and no second AMI client
 * (asterisk-java) next to the shared {@code ami} module.
 */
class DependencyScopeTest {
    @Test
    void ini4jIsTestScopedAndAsteriskJavaIsGone() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(ProjectRoot.get().resolve("config-writer-service/pom.xml").toFile());
        Element dependencies = (Element) pom.getDocumentElement().getElementsByTagName("dependencies").item(0);
        Map<String, String> scopes = new LinkedHashMap<>();
        NodeList list = dependencies.getElementsByTagName("dependency");
        for (int i = 0; i < list.getLength(); i++) {
            Element d = (Element) list.item(i);
            NodeList scope = d.getElementsByTagName("scope");
            scopes.put(text(d, "artifactId"), scope.getLength() == 0 ? "compile" : scope.item(0).getTextContent().strip());
        }
        assertEquals("test", scopes.get("ini4j"));
        assertEquals(null, scopes.get("asterisk-java"));
        assertEquals("compile", scopes.get("ami"));
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent().strip();
    }
}
