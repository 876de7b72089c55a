package io.voltworkflow.server.testing;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** Visits every schema of an OpenAPI document, nested ones included, each once, with a readable location. */
final class SchemaWalk {
    private final BiConsumer<String, Schema<?>> visitor;
    private final Set<Schema<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private SchemaWalk(BiConsumer<String, Schema<?>> visitor) {
        this.visitor = visitor;
    }

    static void each(OpenAPI api, BiConsumer<String, Schema<?>> visitor) {
        SchemaWalk walk = new SchemaWalk(visitor);
        if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
            api.getComponents()
                    .getSchemas()
                    .forEach((name, schema) -> walk.visit("#/components/schemas/" + name, schema));
        }
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths()
                .forEach((path, item) -> item.readOperationsMap()
                        .forEach((method, operation) -> walk.operation(method + " " + path, operation)));
    }

    private void operation(String where, Operation operation) {
        if (operation.getParameters() != null) {
            for (Parameter parameter : operation.getParameters()) {
                visit(where + " parameter " + parameter.getName(), parameter.getSchema());
            }
        }
        if (operation.getRequestBody() != null) {
            content(where + " request", operation.getRequestBody().getContent());
        }
        if (operation.getResponses() != null) {
            for (Map.Entry<String, ApiResponse> response :
                    operation.getResponses().entrySet()) {
                content(where + " " + response.getKey(), response.getValue().getContent());
            }
        }
    }

    private void content(String where, Map<String, MediaType> content) {
        if (content != null) {
            content.forEach((type, media) -> visit(where + " " + type, media.getSchema()));
        }
    }

    @SuppressWarnings("unchecked")
    private void visit(String where, Schema<?> schema) {
        if (schema == null || !seen.add(schema)) {
            return;
        }
        visitor.accept(where, schema);
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, property) -> visit(where + "." + name, property));
        }
        visit(where + "[]", schema.getItems());
        if (schema.getAdditionalProperties() instanceof Schema<?> values) {
            visit(where + "{}", values);
        }
    }
}
