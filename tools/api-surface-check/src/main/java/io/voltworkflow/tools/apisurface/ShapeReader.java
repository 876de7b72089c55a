package io.voltworkflow.tools.apisurface;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.AnnotationDeclaration;
import com.github.javaparser.ast.body.AnnotationMemberDeclaration;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.EnumDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.nodeTypes.NodeWithModifiers;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.TypeParameter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@link TypeShape} of a declaration. Implicit modifiers are made explicit (interface members are
 * public, interface methods without a body and not static, default or private are abstract, interface fields are
 * static final, member types of interfaces and enums are static), so both sides are compared on what the
 * compiler sees, not on how they are written.
 */
final class ShapeReader {

    private final TypeNames names;

    ShapeReader(SourceTree tree, CompilationUnit unit) {
        this.names = new TypeNames(tree, unit);
    }

    TypeShape read(TypeDeclaration<?> type) {
        boolean isInterface = type instanceof ClassOrInterfaceDeclaration c && c.isInterface()
                || type instanceof AnnotationDeclaration;
        List<MemberShape> members = new ArrayList<>();
        List<String> nested = new ArrayList<>();
        for (BodyDeclaration<?> member : type.getMembers()) {
            if (member instanceof TypeDeclaration<?> nestedType) {
                nested.add(nestedType.getNameAsString());
            } else if (member instanceof MethodDeclaration method) {
                members.add(method(method, isInterface));
            } else if (member instanceof ConstructorDeclaration constructor) {
                members.add(constructor(constructor));
            } else if (member instanceof FieldDeclaration field) {
                for (VariableDeclarator variable : field.getVariables()) {
                    members.add(field(field, variable, isInterface));
                }
            } else if (member instanceof AnnotationMemberDeclaration element) {
                members.add(new MemberShape(MemberShape.METHOD, element.getNameAsString(), List.of(),
                        names.describe(element.getType(), element), Set.of("public", "abstract"), List.of(), Set.of()));
            }
        }
        Set<String> enumConstants = new LinkedHashSet<>();
        if (type instanceof EnumDeclaration enumeration) {
            enumeration.getEntries().forEach(e -> enumConstants.add(e.getNameAsString()));
        }
        return new TypeShape(names.canonicalNameOf(type), kindOf(type), typeModifiers(type), typeParameters(type),
                supertypes(type), members, enumConstants, nested);
    }

    private static String kindOf(TypeDeclaration<?> type) {
        if (type instanceof ClassOrInterfaceDeclaration c) {
            return c.isInterface() ? "interface" : "class";
        }
        if (type instanceof EnumDeclaration) {
            return "enum";
        }
        if (type instanceof AnnotationDeclaration) {
            return "annotation";
        }
        if (type instanceof RecordDeclaration) {
            return "record";
        }
        return type.getClass().getSimpleName();
    }

    private Set<String> typeModifiers(TypeDeclaration<?> type) {
        Set<String> modifiers = new LinkedHashSet<>(visibilityAnd(type, "abstract", "final", "static", "sealed"));
        Node parent = type.getParentNode().orElse(null);
        boolean inInterface = parent instanceof ClassOrInterfaceDeclaration c && c.isInterface()
                || parent instanceof AnnotationDeclaration;
        if (parent instanceof TypeDeclaration<?>) {
            if (inInterface) {
                modifiers.add("public");
                modifiers.add("static");
            }
            if (!(type instanceof ClassOrInterfaceDeclaration c && !c.isInterface())) {
                modifiers.add("static"); // nested interfaces, enums, records and annotations are static
            }
        }
        if (type instanceof ClassOrInterfaceDeclaration c && c.isInterface() || type instanceof AnnotationDeclaration) {
            modifiers.add("abstract");
        }
        return modifiers;
    }

    private List<String> typeParameters(TypeDeclaration<?> type) {
        if (type instanceof ClassOrInterfaceDeclaration c) {
            return typeParameters(c.getTypeParameters(), type);
        }
        if (type instanceof RecordDeclaration r) {
            return typeParameters(r.getTypeParameters(), type);
        }
        return List.of();
    }

    private List<String> typeParameters(NodeList<TypeParameter> parameters, Node context) {
        return parameters.stream().map(p -> names.describeTypeParameter(p, context)).toList();
    }

    private Set<String> supertypes(TypeDeclaration<?> type) {
        Set<String> supertypes = new LinkedHashSet<>();
        List<ClassOrInterfaceType> declared = new ArrayList<>();
        if (type instanceof ClassOrInterfaceDeclaration c) {
            declared.addAll(c.getExtendedTypes());
            declared.addAll(c.getImplementedTypes());
        } else if (type instanceof EnumDeclaration e) {
            declared.addAll(e.getImplementedTypes());
        } else if (type instanceof RecordDeclaration r) {
            declared.addAll(r.getImplementedTypes());
        }
        // Supertypes are resolved in the scope that encloses the declaration, but see its type parameters.
        declared.forEach(t -> supertypes.add(names.describe(t, type)));
        return supertypes;
    }

    private MemberShape method(MethodDeclaration method, boolean inInterface) {
        Set<String> modifiers = new LinkedHashSet<>(visibilityAnd(method, "static", "final", "synchronized"));
        boolean isAbstract = method.isAbstract()
                || inInterface && method.getBody().isEmpty() && !method.isStatic() && !method.isDefault() && !method.isPrivate();
        if (isAbstract) {
            modifiers.add("abstract");
        }
        if (inInterface && !method.isPrivate()) {
            modifiers.add("public");
        }
        modifiers.remove("synchronized"); // an implementation detail: no caller can tell
        return new MemberShape(MemberShape.METHOD, method.getNameAsString(), parameters(method),
                names.describe(method.getType(), method), modifiers,
                typeParameters(method.getTypeParameters(), method), thrown(method));
    }

    private MemberShape constructor(ConstructorDeclaration constructor) {
        return new MemberShape(MemberShape.CONSTRUCTOR, "<init>", parameters(constructor), "",
                visibilityAnd(constructor), typeParameters(constructor.getTypeParameters(), constructor),
                thrown(constructor));
    }

    private MemberShape field(FieldDeclaration field, VariableDeclarator variable, boolean inInterface) {
        Set<String> modifiers = new LinkedHashSet<>(visibilityAnd(field, "static", "final"));
        if (inInterface) {
            modifiers.addAll(Set.of("public", "static", "final"));
        }
        return new MemberShape(MemberShape.FIELD, variable.getNameAsString(), List.of(),
                names.describe(variable.getType(), field), modifiers, List.of(), Set.of());
    }

    private List<String> parameters(CallableDeclaration<?> callable) {
        List<String> parameters = new ArrayList<>();
        for (Parameter parameter : callable.getParameters()) {
            String type = names.describe(parameter.getType(), callable);
            parameters.add(parameter.isVarArgs() ? type + "..." : type);
        }
        return parameters;
    }

    private Set<String> thrown(CallableDeclaration<?> callable) {
        Set<String> thrown = new LinkedHashSet<>();
        callable.getThrownExceptions().forEach(t -> thrown.add(names.describe(t, callable)));
        return thrown;
    }

    private static Set<String> visibilityAnd(NodeWithModifiers<?> node, String... kept) {
        Set<String> modifiers = new LinkedHashSet<>();
        Set<String> keep = Set.of(kept);
        for (Modifier modifier : node.getModifiers()) {
            String keyword = modifier.getKeyword().asString();
            if (keyword.equals("public") || keyword.equals("protected") || keyword.equals("private")
                    || keep.contains(keyword)) {
                modifiers.add(keyword);
            }
        }
        return modifiers;
    }
}
