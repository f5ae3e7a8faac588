import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export interface OpenApiOptions {
  readonly title: string;
  readonly description: string;
  readonly version: string;
  /** Where the UI lives; the JSON document is at `<path>-json`. Default `api-docs`. */
  readonly path?: string;
}

export const DEFAULT_OPENAPI_PATH = 'api-docs';

/** Builds the app's OpenAPI document from its controllers and serves it with a UI. */
export function setUpOpenApi(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion(options.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(options.path ?? DEFAULT_OPENAPI_PATH, app, document, {
    jsonDocumentUrl: `${options.path ?? DEFAULT_OPENAPI_PATH}-json`,
    yamlDocumentUrl: `${options.path ?? DEFAULT_OPENAPI_PATH}-yaml`,
  });
  return document;
}
