import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import { DEFAULT_OPENAPI_PATH } from '@app/service-defaults';
import { AdminOpenApi } from './admin-openapi';

/** `GET /api-docs-json`: the admin API's OpenAPI document (token required, like the API itself). */
@ApiExcludeController()
@Controller()
export class OpenApiHttpController {
  constructor(private readonly openApi: AdminOpenApi) {}

  @Get(`${DEFAULT_OPENAPI_PATH}-json`)
  document(): OpenAPIObject | undefined {
    return this.openApi.document;
  }
}
