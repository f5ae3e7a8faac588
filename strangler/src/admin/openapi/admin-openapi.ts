import { type INestApplication, Injectable } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export const ADMIN_API_VERSION = '1.0.0';

/**
 * The admin API's OpenAPI document, built once the app is. It is served by a controller
 * (not by `SwaggerModule.setup`) so that the admin token guards it like every other route.
 */
@Injectable()
export class AdminOpenApi {
  private built: OpenAPIObject | undefined;

  get document(): OpenAPIObject | undefined {
    return this.built;
  }

  build(app: INestApplication): OpenAPIObject {
    const config = new DocumentBuilder()
      .setTitle('Ficus strangler: admin API')
      .setVersion(ADMIN_API_VERSION)
      .setDescription(
        [
          'Read and change the facade’s rules (every change is a new numbered version, written with an expected ',
          'version: a stale one is refused with 409), roll back, explain where a request would go, and watch the ',
          'traffic split. Every route needs `Authorization: Bearer <admin token>` except `GET /health/live`; a ',
          '`read-only` token may read (and explain, validate), an `operator` token may also write (else 403 FORBIDDEN). ',
          'Writes name their author in the body or the `X-Strangler-Author` header, and say why (`reason`). Errors have ',
          'the body `{ statusCode, error, code, message }` with a stable `code`.',
        ].join(''),
      )
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        description: 'an admin token of STRANGLER_ADMIN_TOKENS or STRANGLER_ADMIN_TOKEN',
      })
      .build();
    this.built = SwaggerModule.createDocument(app, config);
    return this.built;
  }
}
