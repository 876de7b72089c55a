package io.voltworkflow.tools.apisurface;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.nodeTypes.NodeWithTypeParameters;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.IntersectionType;
import com.github.javaparser.ast.type.Type;
import com.github.javaparser.ast.type.TypeParameter;
import com.github.javaparser.ast.type.WildcardType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes a type as it appears in a source file in one canonical form, so that the surface and the upstream
 * source can be compared however each spells it: simple names are resolved through the enclosing types,
 * single-type imports, the file's package, {@code java.lang} and on-demand imports, the way javac resolves them;
 * type variables keep their name; annotations are dropped.
 */
final class TypeNames {

    private final SourceTree tree;
    private final CompilationUnit unit;
    private final String packageName;

    TypeNames(SourceTree tree, CompilationUnit unit) {
        this.tree = tree;
        this.unit = unit;
        this.packageName = unit.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("");
    }

    /** The canonical name of a type declared in this unit, nested types joined with dots. */
    String canonicalNameOf(TypeDeclaration<?> type) {
        Deque<String> names = new ArrayDeque<>();
        Node node = type;
        while (node != null) {
            if (node instanceof TypeDeclaration<?> t) {
                names.addFirst(t.getNameAsString());
            }
            node = node.getParentNode().orElse(null);
        }
        String nested = String.join(".", names);
        return packageName.isEmpty() ? nested : packageName + "." + nested;
    }

    String describe(Type type, Node context) {
        if (type instanceof ArrayType array) {
            return describe(array.getComponentType(), context) + "[]";
        }
        if (type instanceof WildcardType wildcard) {
            if (wildcard.getExtendedType().isPresent()) {
                return "? extends " + describe(wildcard.getExtendedType().get(), context);
            }
            if (wildcard.getSuperType().isPresent()) {
                return "? super " + describe(wildcard.getSuperType().get(), context);
            }
            return "?";
        }
        if (type instanceof IntersectionType intersection) {
            return intersection.getElements().stream().map(e -> describe(e, context)).collect(Collectors.joining(" & "));
        }
        if (type instanceof ClassOrInterfaceType classType) {
            return describeClassType(classType, context);
        }
        return type.asString(); // primitive, void
    }

    String describeTypeParameter(TypeParameter parameter, Node context) {
        if (parameter.getTypeBound().isEmpty()) {
            return parameter.getNameAsString();
        }
        return parameter.getNameAsString() + " extends " + parameter.getTypeBound().stream()
                .map(bound -> describe(bound, context))
                .collect(Collectors.joining(" & "));
    }

    private String describeClassType(ClassOrInterfaceType type, Node context) {
        Deque<ClassOrInterfaceType> chain = new ArrayDeque<>();
        for (ClassOrInterfaceType t = type; t != null; t = t.getScope().orElse(null)) {
            chain.addFirst(t);
        }
        List<String> names = chain.stream().map(ClassOrInterfaceType::getNameAsString).toList();
        String first = names.get(0);
        String base;
        if (names.size() == 1 && isTypeVariable(first, context)) {
            return first;
        }
        Optional<String> resolved = resolveSimpleName(first, context);
        base = resolved.map(r -> String.join(".", prepend(r, names.subList(1, names.size()))))
                .orElseGet(() -> String.join(".", names));
        return base + typeArguments(type.getTypeArguments().orElse(null), context);
    }

    private static List<String> prepend(String head, List<String> tail) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(head), tail.stream()).toList();
    }

    private String typeArguments(NodeList<Type> arguments, Node context) {
        if (arguments == null) {
            return "";
        }
        return arguments.stream().map(a -> describe(a, context)).collect(Collectors.joining(",", "<", ">"));
    }

    private static boolean isTypeVariable(String name, Node context) {
        for (Node node = context; node != null; node = node.getParentNode().orElse(null)) {
            if (node instanceof NodeWithTypeParameters<?> generic
                    && generic.getTypeParameters().stream().anyMatch(p -> p.getNameAsString().equals(name))) {
                return true;
            }
        }
        return false;
    }

    private Optional<String> resolveSimpleName(String name, Node context) {
        if (Character.isLowerCase(name.charAt(0))) {
            return Optional.empty(); // a package name: the reference is already qualified
        }
        for (Node node = context; node != null; node = node.getParentNode().orElse(null)) {
            if (node instanceof TypeDeclaration<?> enclosing) {
                if (enclosing.getNameAsString().equals(name)) {
                    return Optional.of(canonicalNameOf(enclosing));
                }
                Optional<String> member = enclosing.getMembers().stream()
                        .filter(TypeDeclaration.class::isInstance)
                        .map(m -> (TypeDeclaration<?>) m)
                        .filter(m -> m.getNameAsString().equals(name))
                        .findFirst()
                        .map(this::canonicalNameOf);
                if (member.isPresent()) {
                    return member;
                }
            }
        }
        for (ImportDeclaration declaration : unit.getImports()) {
            if (!declaration.isAsterisk() && !declaration.isStatic()
                    && declaration.getName().getIdentifier().equals(name)) {
                return Optional.of(declaration.getNameAsString());
            }
        }
        String samePackage = packageName.isEmpty() ? name : packageName + "." + name;
        if (tree.declares(samePackage)) {
            return Optional.of(samePackage);
        }
        if (isJdkClass("java.lang." + name)) {
            return Optional.of("java.lang." + name);
        }
        for (ImportDeclaration declaration : unit.getImports()) {
            if (declaration.isAsterisk() && !declaration.isStatic()) {
                String candidate = declaration.getNameAsString() + "." + name;
                if (tree.declares(candidate) || isJdkClass(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        // Not found anywhere we can see: javac would have found it in the same package (another module).
        return Optional.of(samePackage);
    }

    private static boolean isJdkClass(String name) {
        try {
            Class.forName(name, false, ClassLoader.getPlatformClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
